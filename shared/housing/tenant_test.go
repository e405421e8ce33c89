package housing

import "testing"

func TestAddressLine(t *testing.T) {
	tests := []struct{ name, address, want string }{
		{"House", "12 River Street, Leeds", "12 River Street"},
		{"Flat", "Flat 1, Kestrel House, River Street, Leeds", "Flat 1, Kestrel House, River Street"},
		{"FlatWithNumberedStreet", "Flat 1, 12 River Street, Leeds", "Flat 1, 12 River Street"},
		{"NumberWithLetter", "12a Mill Lane, Hollins, Bury", "12a Mill Lane"},
		{"NamedHouse", "Rose Cottage, Mill Lane, Leeds", "Rose Cottage, Mill Lane"},
		{"TwoLinesNoNumber", "Flat 1, River Street", "Flat 1, River Street"},
		{"PostcodeInAddress", "3 Hill Rise, Leeds, LS2 2BB", "3 Hill Rise"},
		{"PostcodeAfterFlat", "Flat 2, Elm Court, Park Road, Salford, M6 5AB", "Flat 2, Elm Court, Park Road"},
		{"OneLine", "Flat 1", "Flat 1"},
		{"Spaces", "  Flat 1 ,  Heron Court , Quay Street ,Leeds ", "Flat 1, Heron Court, Quay Street"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddressLine(tt.address); got != tt.want {
				t.Errorf("AddressLine(%q) = %q, want %q", tt.address, got, tt.want)
			}
		})
	}
}
