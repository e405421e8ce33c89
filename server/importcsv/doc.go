// Package importcsv reads a landlord's reference data from the CSV files
// its housing management system exports (docs/import.md): sites.csv,
// teams.csv, staff.csv and tenancies.csv. It turns them into typed rows,
// each with its line number, and lists every problem it finds (file, line,
// column and a plain reason) rather than stopping at the first, so a
// landlord can fix a file in one go.
//
// It checks each file on its own: its encoding, its CSV, its columns and
// each row's values, by the limits and validators of package housing.
// Whether a site or team a row names exists, and what an import would
// change, is for the store (sqlite.ImportService), which knows what is
// stored. It imports only housing and the standard library.
package importcsv
