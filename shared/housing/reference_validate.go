package housing

import (
	"strings"
	"unicode/utf8"
)

// Limits on a landlord's reference data as it is loaded (the demo, an
// import from the landlord's housing management system).
const (
	MaxSlug      = 40  // a site's or function's ID
	MaxPlaceName = 100 // a site's or function's name
	MaxTenancyID = 100
	MaxReference = 40 // the landlord's tenancy reference
	MaxHousehold = 200
	MaxAddress   = 300
	MaxPostcode  = 10
)

// CheckSlug says what is wrong with the ID of a site or function, which
// phones, URLs and filters carry: 1 to MaxSlug lower-case letters, digits,
// dots, dashes or underscores, like "riverside" or "repairs".
func CheckSlug(what, s string) error {
	if s == "" || len(s) > MaxSlug {
		return Invalid(FieldID, "A %s's ID is 1 to %d characters long.", what, MaxSlug)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return Invalid(FieldID, "A %s's ID may use only lower-case letters, digits, dots, dashes and underscores, like riverside; %q does not.", what, s)
		}
	}
	return nil
}

// checkText says what is wrong with a line of text that people read: blank
// when it must not be, longer than max characters, or holding a control
// or bidi character (see CheckName). field names it in the error.
func checkText(field, what, s string, max int, required bool) error {
	switch {
	case required && blank(s):
		return Invalid(field, "Enter the %s.", what)
	case utf8.RuneCountInString(s) > max:
		return Invalid(field, "Keep the %s under %d characters.", what, max)
	case !utf8.ValidString(s) || strings.ContainsFunc(s, hiddenRune):
		return Invalid(field, "The %s has an invisible or control character in it.", what)
	}
	return nil
}

// Validate checks a site's ID and name.
func (s Site) Validate() error {
	if err := CheckSlug("site", s.ID); err != nil {
		return err
	}
	return checkText(FieldName, "site's name", s.Name, MaxPlaceName, true)
}

// Validate checks a function's ID and name.
func (f Function) Validate() error {
	if err := CheckSlug("team", f.ID); err != nil {
		return err
	}
	return checkText(FieldName, "team's name", f.Name, MaxPlaceName, true)
}

// Validate checks a tenancy's fields. Whether its site exists is checked by
// the store, which knows the sites.
func (t Tenancy) Validate() error {
	switch {
	case blank(t.ID) || len(t.ID) > MaxTenancyID:
		return Invalid(FieldID, "A tenancy's ID is 1 to %d characters long.", MaxTenancyID)
	case t.SiteID == "":
		return Invalid(FieldSite, "Tenancy %s has no site.", t.Reference)
	}
	for _, f := range []struct {
		field, what, value string
		max                int
		required           bool
	}{
		{FieldReference, "tenancy reference", t.Reference, MaxReference, true},
		{FieldHousehold, "household", t.Household, MaxHousehold, true},
		{FieldAddress, "address", t.Address, MaxAddress, true},
		{FieldPostcode, "postcode", t.Postcode, MaxPostcode, false},
	} {
		if err := checkText(f.field, f.what, f.value, f.max, f.required); err != nil {
			return err
		}
	}
	return nil
}
