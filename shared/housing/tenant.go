package housing

import (
	"regexp"
	"strings"
	"time"
)

// TenantView is everything a tenant's link page may show: one commitment and
// no more than the officer's first name and enough of the address to
// recognise the home (AddressLine).
type TenantView struct {
	Commitment   Commitment `json:"commitment"` // Token cleared; History kept
	FunctionName string     `json:"function_name"`
	MadeByFirst  string     `json:"made_by_first"`
	AddressLine  string     `json:"address_line"` // AddressLine: up to the street, no town or postcode
	ExpiresAt    time.Time  `json:"expires_at,omitzero"`
}

// TenantLinkLifetime is how long a tenant link keeps working after its
// commitment closes (kept or cancelled). After that the link answers as an
// unknown one does, so old links cannot be used to probe.
const TenantLinkLifetime = 90 * 24 * time.Hour

// AddressLine returns enough of an address, written with ", " between its
// lines, for a tenant to recognise their home: its first lines up to and
// including the street, never the town or a postcode. "Flat 1, Kestrel
// House, River Street, Leeds" gives "Flat 1, Kestrel House, River Street";
// "12 River Street, Leeds" gives "12 River Street". The street is the
// first line that starts with a house number; failing one, every line but
// the last, which is the town. A line shaped like a postcode is never
// shown. A two-line address with no number is shown whole, as its second
// line may be the street.
func AddressLine(address string) string {
	var lines []string
	for _, l := range strings.Split(address, ",") {
		if l = strings.TrimSpace(l); l != "" && !postcodeShape.MatchString(l) {
			lines = append(lines, l)
		}
	}
	for i, l := range lines {
		if numberedStreet.MatchString(l) {
			return strings.Join(lines[:i+1], ", ")
		}
	}
	if len(lines) > 2 {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, ", ")
}

var (
	// numberedStreet is a line such as "12 River Street" or "12a Mill Lane".
	numberedStreet = regexp.MustCompile(`^[0-9]+[A-Za-z]?(-[0-9]+[A-Za-z]?)?\s+\pL`)
	// postcodeShape is a UK postcode, with or without its space.
	postcodeShape = regexp.MustCompile(`(?i)^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$`)
)
