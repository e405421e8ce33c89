// Command brcompress writes a brotli copy of a file, for the server to send
// to browsers that accept it. `make wasm` runs it on web/app.wasm:
//
//	brcompress -in web/app.wasm -out web/app.wasm.br
//
// It lives under server/ because it prepares what the server serves, and web/
// holds only files that are served. It writes a temporary file and renames it,
// so a server reading the old copy never sees half a file.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	in := flag.String("in", "", "file to compress")
	out := flag.String("out", "", "brotli file to write (default: the input with .br added)")
	quality := flag.Int("quality", brotli.BestCompression, "brotli quality, 0 to 11")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "usage: brcompress -in FILE [-out FILE.br] [-quality 0-11]")
		os.Exit(2)
	}
	if *out == "" {
		*out = *in + ".br"
	}
	if err := compress(*in, *out, *quality); err != nil {
		fmt.Fprintln(os.Stderr, "brcompress:", err)
		os.Exit(1)
	}
}

func compress(in, out string, quality int) error {
	src, err := os.Open(in)
	if err != nil {
		return err
	}
	defer src.Close()

	tmp, err := os.CreateTemp(filepath.Dir(out), filepath.Base(out)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	// A 16 MiB window (lgwin 24) lets brotli match across the whole of a
	// wasm binary of a few megabytes.
	w := brotli.NewWriterOptions(tmp, brotli.WriterOptions{Quality: quality, LGWin: 24})
	if _, err := io.Copy(w, src); err != nil {
		tmp.Close()
		return fmt.Errorf("compress %s: %w", in, err)
	}
	if err := w.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("compress %s: %w", in, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
