package importcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// table is one file read as CSV: where each named column is, and its rows
// below the header.
type table struct {
	file    string
	columns []string       // the header row's names, trimmed and in lower case
	index   map[string]int // column name → its position
	rows    []row
}

// row is one line of a table's values, as given. A row with a value under
// no column (bad) is already reported: it is kept only so that its key is
// known to be refused.
type row struct {
	line   int
	fields []string
	bad    bool
}

// value is the row's value in column col, trimmed; "" when the file has no
// such column or the row stops short of it.
func (t *table) value(r row, col string) string {
	i, ok := t.index[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// utf8BOM is what Excel and many Windows programs put at the start of a
// UTF-8 file; it is not part of the first column's name.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readTable reads data as file's CSV: UTF-8 (after an optional BOM),
// comma-separated, with a header row naming file's columns. It reports
// every problem with the file as a whole and with its header, and returns
// ok only when there is none, so the rows can be checked one by one; a row
// with a value under no column is reported here and marked bad. Rows whose
// values are all blank (the empty rows a spreadsheet leaves below its
// data) are left out.
func readTable(file string, data []byte, ps *problems) (*table, bool) {
	data = bytes.TrimPrefix(data, utf8BOM)
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		ps.file(file, "", "is empty; it needs a header row naming its columns (%s).", columnList(file))
		return nil, false
	case bytes.IndexByte(data, 0) >= 0:
		ps.file(file, "", "is not a CSV file: it holds binary data. Save or export it as CSV (comma-separated values, UTF-8).")
		return nil, false
	case !utf8.Valid(data):
		ps.row(file, lineOf(data, invalidUTF8(data)), "", "is not UTF-8 text from this line on (it may be Windows-1252 or Latin-1). Save it as \"CSV UTF-8\".")
		return nil, false
	}

	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // rows of the wrong length are reported here, each one
	header, err := r.Read()
	if err != nil {
		notCSV(file, err, ps)
		return nil, false
	}
	t := &table{file: file, index: map[string]int{}}
	if !t.readHeader(header, ps) {
		return nil, false
	}
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote leaves the reader unsure where the next row
			// starts, so what follows cannot be trusted either.
			notCSV(file, err, ps)
			return nil, false
		}
		line, _ := r.FieldPos(0)
		if allBlank(fields) {
			continue
		}
		t.rows = append(t.rows, row{line: line, fields: fields, bad: !t.checkWidth(line, fields, ps)})
	}
	return t, true
}

// readHeader reads the header row's column names: each is trimmed and read
// in any case. It reports a name given twice, a name the file's format does
// not have (by name, so a misspelling is plain), and each required column
// missing. An unnamed column (a trailing comma) is left for checkWidth.
func (t *table) readHeader(header []string, ps *problems) bool {
	if len(header) == 1 {
		// One column holding the others' names: the file is separated by
		// something other than commas (European spreadsheets use
		// semicolons).
		for _, sep := range []string{";", "\t", "|"} {
			if strings.Count(header[0], sep) > 0 {
				ps.row(t.file, 1, "", "separates its columns with %q; an import reads commas. Export it as CSV with commas (\"CSV UTF-8 (Comma delimited)\").", sep)
				return false
			}
		}
	}
	ok := true
	format := formats[t.file]
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		t.columns = append(t.columns, name)
		switch _, twice := t.index[name]; {
		case name == "":
			continue
		case twice:
			ps.row(t.file, 1, name, "is in the header row twice; give each column once.")
			ok = false
		case !hasColumn(format, name):
			ps.row(t.file, 1, name, "is not a column of %s; its columns are %s.", t.file, columnList(t.file))
			ok = false
		}
		if _, twice := t.index[name]; !twice {
			t.index[name] = i
		}
	}
	for _, c := range format {
		if _, found := t.index[c.name]; c.required && !found {
			ps.file(t.file, c.name, "is missing from the header row; %s needs it.", t.file)
			ok = false
		}
	}
	return ok
}

// checkWidth reports a row with a value under no named column: a value
// past the header's last column, or under an unnamed one. A row that stops
// short is fine; the columns it leaves out are blank.
func (t *table) checkWidth(line int, fields []string, ps *problems) bool {
	for i, f := range fields {
		if strings.TrimSpace(f) == "" {
			continue
		}
		if i >= len(t.columns) {
			ps.row(t.file, line, "", "has %d values, but the header row names %d columns.", lastValue(fields)+1, len(t.columns))
			return false
		}
		if t.columns[i] == "" {
			ps.row(t.file, line, "", "has a value, %q, in column %d, which the header row does not name.", f, i+1)
			return false
		}
	}
	return true
}

// notCSV reports a CSV syntax error (a stray or unclosed quote) where the
// reader found it.
func notCSV(file string, err error, ps *problems) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ps.row(file, pe.Line, "", "is not valid CSV here (column %d): %s. A value with a comma, a quote or a line break in it must be in double quotes, its own quotes doubled.", pe.Column, pe.Err)
		return
	}
	ps.file(file, "", "could not be read as CSV: %s.", err)
}

// invalidUTF8 is the offset of the first byte of data that is not UTF-8.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// lineOf is the line number (from 1) of offset in data, after the BOM.
func lineOf(data []byte, offset int) int {
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

func allBlank(fields []string) bool {
	return lastValue(fields) < 0
}

// lastValue is the index of the last value that is not blank, or -1.
func lastValue(fields []string) int {
	for i := len(fields) - 1; i >= 0; i-- {
		if strings.TrimSpace(fields[i]) != "" {
			return i
		}
	}
	return -1
}

func hasColumn(format []column, name string) bool {
	for _, c := range format {
		if c.name == name {
			return true
		}
	}
	return false
}

// columnList names file's columns for a message: "site_ref, name".
func columnList(file string) string {
	names := make([]string, len(formats[file]))
	for i, c := range formats[file] {
		names[i] = c.name
		if !c.required {
			names[i] += " (optional)"
		}
	}
	return strings.Join(names, ", ")
}
