package housing

import (
	"context"
	"io"
	"strings"
	"unicode/utf8"
)

// This file is evidence photos: taken at the door, kept on the phone,
// attached to a visit, a promise or a case by sync (photo.attach, exactly
// once like every mutation), and their bytes uploaded separately, by their
// SHA-256, resumably (docs/photos.md). Text never waits for photos.

// Photo is one photo attached to a record. The phone makes it when the
// officer takes the photo; the server fills in Stored once it holds every
// byte and the hash matched.
type Photo struct {
	ID         string `json:"id"`          // UUIDv7 made on the device
	RecordKind string `json:"record_kind"` // RecordVisit, RecordCommitment or RecordCase
	RecordID   string `json:"record_id"`
	SHA256     string `json:"sha256"` // lower-case hex of the bytes the phone will upload
	Size       int64  `json:"size"`   // bytes
	Type       string `json:"type"`   // PhotoJPEG, PhotoWebP or PhotoPNG
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Caption    string `json:"caption,omitempty"`

	// Stored says the server holds the whole photo and its hash matched;
	// until then staff see "uploading" where the photo will be.
	Stored bool `json:"stored,omitempty"`
	Meta
}

// The image types a photo may be: the phone re-encodes what the camera
// gives as JPEG or WebP; PNG is taken for screenshots.
const (
	PhotoJPEG = "image/jpeg"
	PhotoWebP = "image/webp"
	PhotoPNG  = "image/png"
)

// Limits on photos.
const (
	MaxPhotosPerRecord = 6
	MaxPhotoBytes      = 4 << 20 // a re-encoded photo is 200-400 KB; a 4 MB one is a phone that did not resize
	MaxPhotoChunk      = 1 << 20 // one upload request's body
	MaxCaption         = 200
	MaxPhotoSide       = 4096 // pixels, either side
)

// KindPhotoAttach attaches a photo to a visit, promise or case: Data is
// Photo, RecordID the photo's ID.
const KindPhotoAttach = "photo.attach"

// RecordPhoto is the kind of a photo's record in a pull: the Photo, in
// the scope of the record it is attached to.
const RecordPhoto = "photo"

// Photo field names in errors.
const (
	FieldRecordKind = "record_kind"
	FieldRecordID   = "record_id"
	FieldSHA256     = "sha256"
	FieldSize       = "size"
	FieldType       = "type"
	FieldCaption    = "caption"
)

// Validate checks a photo's record as the phone attaches it.
func (p Photo) Validate() error {
	switch {
	case !ValidID(p.ID):
		return Invalid(FieldID, "The photo has no valid ID; please take it again.")
	case p.RecordKind != RecordVisit && p.RecordKind != RecordCommitment && p.RecordKind != RecordCase:
		return Invalid(FieldRecordKind, "A photo belongs to a visit, a promise or a case.")
	case p.RecordID == "":
		return Invalid(FieldRecordID, "The photo must say which record it belongs to.")
	case !ValidSHA256(p.SHA256):
		return Invalid(FieldSHA256, "The photo's fingerprint is damaged; please take it again.")
	case p.Size <= 0:
		return Invalid(FieldSize, "The photo is empty; please take it again.")
	case p.Size > MaxPhotoBytes:
		return Invalid(FieldSize, "The photo is larger than %d MB; the app should have made it smaller. Please take it again.", MaxPhotoBytes>>20)
	case p.Type != PhotoJPEG && p.Type != PhotoWebP && p.Type != PhotoPNG:
		return Invalid(FieldType, "A photo must be a JPEG, WebP or PNG image.")
	case p.Width <= 0 || p.Height <= 0 || p.Width > MaxPhotoSide || p.Height > MaxPhotoSide:
		return Invalid(FieldSize, "The photo's size in pixels is not one a phone takes.")
	case utf8.RuneCountInString(p.Caption) > MaxCaption:
		return Invalid(FieldCaption, "Keep the caption under %d characters.", MaxCaption)
	}
	return nil
}

// ValidSHA256 reports whether s is a lower-case hex SHA-256.
func ValidSHA256(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// Upload is where an upload of a photo's bytes stands.
type Upload struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`   // the whole photo's
	Offset int64  `json:"offset"` // bytes the server holds; the next chunk starts here
	Stored bool   `json:"stored"` // every byte is held and the hash matched
}

// PhotoService takes photos' bytes and gives them back to those who may
// see them. Every method returns CodeNotFound, with the same message, for
// a photo that is unknown or attached to a record p may not see, so IDs
// cannot be probed.
type PhotoService interface {
	// StartUpload says where the upload of photo id stands, so a phone
	// resumes where it was cut off; a photo already held (sent before, or by
	// another device) answers Stored at once and nothing is sent again.
	StartUpload(ctx context.Context, p Principal, id string) (Upload, error)
	// WriteChunk appends a chunk of at most MaxPhotoChunk bytes at offset.
	// It returns CodeConflict for an offset other than the one held (the
	// phone asks StartUpload where to resume), CodeTooLarge for a chunk
	// over MaxPhotoChunk or past the photo's size, CodeInvalid for a whole
	// photo whose hash does not match or that is not a real image of its
	// type (the partial bytes are dropped: the phone starts again), and
	// CodeRateLimited for an account sending too much.
	WriteChunk(ctx context.Context, p Principal, id string, offset int64, chunk io.Reader) (Upload, error)
	// OpenPhoto returns the photo's bytes (thumb: a small JPEG for lists).
	OpenPhoto(ctx context.Context, p Principal, id string, thumb bool) (io.ReadCloser, Photo, error)
}
