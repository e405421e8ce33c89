package main

import (
	"time"

	"doorstep/shared/housing"
)

// browser is what the handlers use of the browser they run in, each
// feature degrading gracefully where a browser lacks it. browser_js.go is
// the browser's; the tests use a fake.
type browser interface {
	// now is the phone's clock. "Today" is housing.LocalDate of it.
	now() time.Time
	// origin is the page's scheme, host and port: the server's address.
	origin() string
	// deviceName suggests a name for this phone in the officer's list of
	// devices.
	deviceName() string
	// share offers link to the phone's share sheet, or copies it, and
	// returns what the officer should be told ("" when the sheet took it).
	share(link string) string
	// download hands data to the browser as a file called name.
	download(name, mimeType string, data []byte)
	// copy puts text on the clipboard and reports whether it could.
	copy(text string) bool
	// files reads the files chosen in the file input whose element ID is
	// input, each with its name and bytes; none when nothing is chosen.
	files(input string) ([]housing.ImportFile, error)
	// storage reports whether the browser has promised not to evict the
	// app's data, first asking for that promise when ask is set.
	storage(ask bool) (persisted, supported bool)
	// mark records a performance mark called name, for the benchmarks.
	mark(name string)
	// measureSave records how long the save that began at the mark
	// "doorstep.save.start" took, to now, when it is durable.
	measureSave()
}
