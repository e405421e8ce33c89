package sqlite

import (
	"bytes"
	"encoding/json"

	fastjson "github.com/segmentio/encoding/json"

	"doorstep/shared/housing"
)

// A device's own new records come back to it in its pulls as the server
// stored them, like everyone else's: the device learns what the server set
// (received_at, the site from the tenancy, a promise's history and
// versions). Sent whole, every record a device pushes would come straight
// back in the same answer: the 10,000-promise benchmark's push bytes grew
// from 1.49 MB to 2.37 MB. So when the request asks for patches
// (housing.SyncRequest.Patches), a record the device sent in it goes as a
// patch on what it sent (housing.Change.Patch), naming only the fields the
// server holds differently: 1.69 MB. A record the device made in an earlier
// request (an answer that was lost), or for a device that does not ask for
// patches, goes whole.

// echoPatch returns the top-level JSON merge patch that turns sent, the
// record as the device sent it, into current, the record as the server
// holds it (housing.Change.Record applies it). ok is false when current
// cannot be written so, and goes whole: either is not a JSON object, a
// field name holds an escape or comes twice (two spellings of one name, or
// two values, could not be told apart here), or current has a null field,
// which a merge patch would read as "remove".
//
// It compares the two objects' top-level fields as they are written rather
// than decoding them: a push's answer carries up to 500 of these, and
// decoding both sides of each into maps took as long as the rest of the
// answer together.
func echoPatch(sent, current json.RawMessage) (patch json.RawMessage, ok bool) {
	// The device decodes sent with a strict decoder to apply the patch; the
	// scan below is looser about values, so sent is checked first.
	if !fastjson.Valid(sent) {
		return nil, false
	}
	var from, to [32]field
	fs, ok := topFields(sent, from[:0])
	if !ok {
		return nil, false
	}
	ts, ok := topFields(current, to[:0])
	if !ok {
		return nil, false
	}
	out := make([]byte, 0, 256)
	out = append(out, '{')
	for _, t := range ts {
		if string(t.value) == "null" {
			return nil, false
		}
		if f, found := lookup(fs, t.key); found && bytes.Equal(f.value, t.value) {
			continue
		}
		out = appendField(out, t.key, t.value)
	}
	for _, f := range fs {
		if _, found := lookup(ts, f.key); !found {
			out = appendField(out, f.key, []byte("null"))
		}
	}
	return append(out, '}'), true
}

// field is one top-level member of a JSON object as written: its name
// without the quotes, and its value.
type field struct{ key, value []byte }

func lookup(fs []field, key []byte) (field, bool) {
	for _, f := range fs {
		if bytes.Equal(f.key, key) {
			return f, true
		}
	}
	return field{}, false
}

func appendField(out, key, value []byte) []byte {
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = append(out, '"')
	out = append(out, key...)
	out = append(out, '"', ':')
	return append(out, value...)
}

// topFields appends to fs the top-level members of the JSON object in data.
// ok is false when data is not an object, or a name holds an escape or
// comes twice. Values
// are taken as written; a malformed one makes the object malformed, and ok
// false.
func topFields(data []byte, fs []field) ([]field, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		if skipSpace(data, i+1) != len(data) {
			return nil, false
		}
		return fs, true
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, false
		}
		end := stringEnd(data, i)
		if end < 0 || bytes.IndexByte(data[i:end], '\\') >= 0 {
			return nil, false
		}
		key := data[i+1 : end-1]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		i = skipSpace(data, i+1)
		end = valueEnd(data, i)
		if end < 0 {
			return nil, false
		}
		if _, dup := lookup(fs, key); dup {
			return nil, false // decoders differ on which of the two counts
		}
		fs = append(fs, field{key, data[i:end]})
		i = skipSpace(data, end)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			if skipSpace(data, i+1) != len(data) {
				return nil, false
			}
			return fs, true
		default:
			return nil, false
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at data[i],
// or -1.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// valueEnd returns the index just past the value starting at data[i], or
// -1. Objects and arrays are matched by their brackets, skipping strings;
// numbers and literals run to the next delimiter.
func valueEnd(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				if j = stringEnd(data, j); j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for ; j < len(data); j++ {
		if c := data[j]; c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
	}
	if j == i {
		return -1
	}
	return j
}

// echo sets ch, a change about to be sent, to go as a patch when it is a
// record the device sent in this request (sent, by housing.SentRecords).
func echo(ch *housing.Change, sent map[string]json.RawMessage) {
	if len(sent) == 0 || ch.Removed {
		return
	}
	base, ok := sent[ch.Kind+"/"+ch.ID]
	if !ok {
		return
	}
	if patch, ok := echoPatch(base, ch.Data); ok {
		ch.Data, ch.Patch = nil, patch
	}
}
