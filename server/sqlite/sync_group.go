package sqlite

import (
	"context"
	"fmt"
	"sync"

	"doorstep/shared/housing"
)

// Group commit: batches from many devices that arrive while another
// transaction is being written wait for it, then go in together, each
// inside its own savepoint, in one transaction. A batch stays all or
// nothing (its savepoint) and is acknowledged only once the transaction has
// committed, so the promise of one transaction per batch holds: the batch
// and the device's last mutation number are committed together or not at
// all. What is shared is the cost of beginning, committing and writing the
// pages that every batch touches (the change log, the devices table, the
// indexes), which was most of the time of a small batch; when many phones
// sync at once, each one no longer waits for all the others' commits.

// maxGroupMutations bounds the mutations applied in one transaction. A
// group's phones get their answers only when it commits, so a bounded group
// lets the first phones' answers be built and compressed on the other cores
// while the next group is written; but each commit writes every page the
// group touched to the WAL, a few milliseconds, so groups of a few phones
// spent more on commits than they saved. 256 is about 85 phones' visits.
const maxGroupMutations = 256

// pushJob is one device's batch waiting to be written.
type pushJob struct {
	ctx context.Context
	p   housing.Principal
	req housing.SyncRequest
	// decoded is req's new records, decoded before waiting for the lock.
	decoded map[int64]decodedRecord

	// Set by whoever writes the job, under SyncService.writes.
	done    bool
	results []housing.Result
	last    int64
	err     error
}

// writeQueue holds the batches waiting for the write lock.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*pushJob
}

// push applies req's batch for p and returns its results and the device's
// last mutation number afterwards; on CodeGap it returns the number before.
//
// Every caller queues its batch and takes the write lock. Whoever gets the
// lock writes the batches then waiting, oldest first, a group of up to
// maxGroupMutations to a transaction, until its own is written; a caller
// whose batch was written while it waited finds it done and returns at once.
func (s *SyncService) push(ctx context.Context, p housing.Principal, req housing.SyncRequest) ([]housing.Result, int64, error) {
	job := &pushJob{ctx: ctx, p: p, req: req, decoded: decodeBatch(req.Mutations)}
	s.queue.mu.Lock()
	s.queue.waiting = append(s.queue.waiting, job)
	s.queue.mu.Unlock()

	s.writes.Lock()
	defer s.writes.Unlock()
	for !job.done {
		jobs := s.queue.take(maxGroupMutations)
		if len(jobs) == 0 {
			// Cannot happen: a batch leaves the queue only under the
			// write lock and is done before the lock is let go.
			return nil, 0, fmt.Errorf("push: batch lost from the write queue")
		}
		s.pushGroup(jobs)
	}
	return job.results, job.last, job.err
}

// take removes from the queue the oldest batches holding up to max
// mutations in all, and at least one batch.
func (q *writeQueue) take(max int) []*pushJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	n, size := 0, 0
	for n < len(q.waiting) && (n == 0 || size+len(q.waiting[n].req.Mutations) <= max) {
		size += len(q.waiting[n].req.Mutations)
		n++
	}
	jobs := q.waiting[:n:n]
	q.waiting = q.waiting[n:]
	return jobs
}

// pushGroup writes jobs in one transaction and marks each done. A batch
// that fails is rolled back to its savepoint and fails alone; if the
// transaction itself cannot begin or commit, every batch in it fails and
// none is written. The transaction is not tied to any one device's request,
// so a phone that hangs up does not undo the others' batches; a batch whose
// phone has already hung up is not written.
func (s *SyncService) pushGroup(jobs []*pushJob) {
	failAll := func(err error) {
		for _, j := range jobs {
			if !j.done {
				j.done, j.results, j.last, j.err = true, nil, 0, err
			}
		}
	}
	ctx := context.Background()
	tx, err := s.DB.begin(ctx)
	if err != nil {
		failAll(err)
		return
	}
	defer tx.Rollback()

	// A lone batch needs no savepoint of its own: if it fails, the whole
	// transaction is rolled back. That matters because releasing each
	// mutation's savepoint inside an enclosing one costs more the more the
	// enclosing one holds: for a phone's 500 mutations at once, five times
	// the cost of the rest of the batch.
	alone := len(jobs) == 1
	read, err := readForGroup(ctx, tx, jobs)
	if err != nil {
		failAll(err)
		return
	}
	var written []*pushJob
	for _, j := range jobs {
		if err := j.ctx.Err(); err != nil {
			j.done, j.err = true, err
			continue
		}
		if !alone {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT batch`); err != nil {
				failAll(fmt.Errorf("savepoint: %w", err))
				return
			}
		}
		results, last, err := applyBatch(ctx, tx, j.p, j.req, j.decoded, read)
		if err != nil {
			j.done, j.last, j.err = true, last, err
			if alone {
				return // the deferred rollback undoes it
			}
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO batch`); rerr != nil {
				failAll(fmt.Errorf("roll back batch: %w", rerr))
				return
			}
		} else {
			j.results, j.last = results, last
			read.devices[j.req.DeviceID] = last
			written = append(written, j)
		}
		if !alone {
			if _, err := tx.ExecContext(ctx, `RELEASE batch`); err != nil {
				failAll(fmt.Errorf("release savepoint: %w", err))
				return
			}
		}
	}
	if err := recordDevices(ctx, tx, written); err != nil {
		failAll(err)
		return
	}
	if err := tx.Commit(); err != nil {
		failAll(fmt.Errorf("commit batch: %w", err))
		return
	}
	for _, j := range written {
		j.done = true
	}
}
