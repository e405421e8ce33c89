package sqlite

import (
	"slices"
	"strconv"
	"strings"

	"doorstep/shared/housing"
)

// cursor is where a device's pull stands. On the wire it is opaque text
// that the device sends back unchanged:
//
//	""                                  a fresh device: start a snapshot
//	"s1.<H>.<scope>.<phase>.<after>"    in a snapshot taken at change H: the
//	                                    next record of kind <phase> after ID
//	                                    <after> ("" for the first)
//	"c1.<seq>.<scope>"                  caught up to change <seq>
//
// <scope> is scopeFingerprint of the principal the cursor was made for; a
// cursor for another scope starts a new snapshot. The last field of a
// snapshot cursor is an ID, which may itself hold dots.
type cursor struct {
	snapshot bool
	seq      int64  // H in a snapshot; the last change sent when catching up
	scope    string // scopeFingerprint
	phase    string // snapshot only: a record kind from snapshotPhases
	after    string // snapshot only: the last ID sent in phase
}

// snapshotPhases is the order a snapshot sends records in: reference data
// first, so a device can show tenancies by name as soon as they arrive.
var snapshotPhases = []string{
	housing.RecordSite, housing.RecordFunction, housing.RecordOfficer, housing.RecordStandard,
	housing.RecordTenancy, housing.RecordVisit, housing.RecordCommitment, housing.RecordFeedback,
	housing.RecordAttention,
}

// maxCursorID bounds the ID in a snapshot cursor; real IDs are short.
const maxCursorID = 200

// parseCursor parses the cursor a device sent; "" is the fresh device's
// zero cursor. Anything malformed is CodeInvalid.
func parseCursor(s string) (cursor, error) {
	bad := housing.Errorf(housing.CodeInvalid, "The sync position is damaged; sign out and in again to start afresh.")
	if s == "" {
		return cursor{}, nil
	}
	var c cursor
	var parts []string
	switch {
	case strings.HasPrefix(s, "s1."):
		parts = strings.SplitN(s, ".", 5)
		if len(parts) != 5 || !slices.Contains(snapshotPhases, parts[3]) || len(parts[4]) > maxCursorID {
			return c, bad
		}
		c.snapshot, c.phase, c.after = true, parts[3], parts[4]
	case strings.HasPrefix(s, "c1."):
		parts = strings.Split(s, ".")
		if len(parts) != 3 {
			return c, bad
		}
	default:
		return c, bad
	}
	seq, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || seq < 0 || parts[1] != strconv.FormatInt(seq, 10) || !validFingerprint(parts[2]) {
		return c, bad
	}
	c.seq, c.scope = seq, parts[2]
	return c, nil
}

// String is the cursor as sent to the device.
func (c cursor) String() string {
	if c.snapshot {
		return "s1." + strconv.FormatInt(c.seq, 10) + "." + c.scope + "." + c.phase + "." + c.after
	}
	return "c1." + strconv.FormatInt(c.seq, 10) + "." + c.scope
}

func validFingerprint(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
