package remote

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"testing"

	"doorstep/shared/housing"
)

// TestImportBodyReadsBackAsSent: the hand-written multipart body reads back
// through Go's own multipart reader (the server's) with every file's name
// and bytes as sent, awkward names and boundary-like lines too.
func TestImportBodyReadsBackAsSent(t *testing.T) {
	files := []housing.ImportFile{
		{Name: "sites.csv", Data: []byte("site_ref,name\r\n--eastfield,Eastfield\r\n")},
		{Name: `my "staff" \ list.csv`, Data: nil},
		{Name: "tenancies.csv", Data: []byte("tenancy_ref\n--\n")},
	}
	body, contentType, err := importBody(files)
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		t.Fatalf("read the body back: %v", err)
	}
	got := form.File["file"]
	if len(got) != len(files) || len(form.Value) != 0 {
		t.Fatalf("read back %d files and %d fields, want %d files", len(got), len(form.Value), len(files))
	}
	for i, fh := range got {
		f, err := fh.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(f)
		f.Close()
		if fh.Filename != files[i].Name || !bytes.Equal(data, files[i].Data) {
			t.Errorf("file %d read back as %q = %q, want %q = %q", i, fh.Filename, data, files[i].Name, files[i].Data)
		}
	}
}
