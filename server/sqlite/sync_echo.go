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
// versions). Sent whole, that doubled the bytes of every push, since a
// device pulls straight after pushing; so a record the device sent in the
// same request goes as a patch on what it sent (housing.Change.Patch),
// naming only the fields the server holds differently. A record the device
// made in an earlier request (an answer that was lost) goes whole.

// echoPatch returns the top-level JSON merge patch that turns sent, the
// record as the device sent it, into current, the record as the server
// holds it (housing.Change.Record applies it). ok is false when current
// cannot be written so, and goes whole: sent is not a JSON object, or
// current has a null field, which a merge patch would read as "remove".
func echoPatch(sent, current json.RawMessage) (patch json.RawMessage, ok bool) {
	var from, to map[string]json.RawMessage
	if fastjson.Unmarshal(sent, &from) != nil || fastjson.Unmarshal(current, &to) != nil || from == nil || to == nil {
		return nil, false
	}
	diff := make(map[string]json.RawMessage, len(to))
	for k, v := range to {
		if string(v) == "null" {
			return nil, false
		}
		if old, ok := from[k]; !ok || !bytes.Equal(old, v) {
			diff[k] = v
		}
	}
	for k := range from {
		if _, ok := to[k]; !ok {
			diff[k] = json.RawMessage("null")
		}
	}
	out, err := fastjson.Marshal(diff)
	if err != nil {
		return nil, false
	}
	return out, true
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
