package replica_test

import (
	"testing"

	"doorstep/app/replica"
	"doorstep/app/replica/storetest"
)

// TestMemStore holds the in-memory store to the contract app/idb meets in
// the browser, so the replica's native tests mean something on a phone.
func TestMemStore(t *testing.T) {
	stores := map[string]*replica.MemStore{}
	storetest.Run(t, func(t *testing.T, name string) replica.Store {
		if s, ok := stores[name]; ok {
			return s
		}
		s := replica.NewMemStore()
		stores[name] = s
		return s
	})
}
