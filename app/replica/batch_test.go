package replica

import (
	"encoding/json"
	"strings"
	"testing"

	"doorstep/shared/housing"
)

func TestBatchEnd(t *testing.T) {
	outbox := func(n, dataBytes int) []housing.Mutation {
		data := json.RawMessage(`"` + strings.Repeat("x", dataBytes-2) + `"`)
		ms := make([]housing.Mutation, n)
		for i := range ms {
			ms[i] = housing.Mutation{Seq: int64(i + 1), Data: data}
		}
		return ms
	}
	tests := []struct {
		name   string
		outbox []housing.Mutation
		want   int
	}{
		{"Empty", nil, 0},
		{"Few", outbox(3, 500), 3},
		{"CountLimit", outbox(housing.MaxMutationsPerBatch+20, 500), housing.MaxMutationsPerBatch},
		{"ByteLimit", outbox(housing.MaxMutationsPerBatch, housing.MaxMutationBytes), batchBytes / (housing.MaxMutationBytes + mutationOverhead)},
		{"OneHugeStillGoes", outbox(1, 2*batchBytes), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := batchEnd(tt.outbox); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}
