package train

import (
	"io"
	"reflect"
	"strings"

	"github.com/dlnb/dlnb/dl"
)

// SetLibraryVersion makes the cache see v as dlnb's version until restore
// is called.
func SetLibraryVersion(v string) (restore func()) {
	old := libraryVersion
	libraryVersion = func() string { return v }
	return func() { libraryVersion = old }
}

// LibraryVersion is the version the cache sees.
func LibraryVersion() string { return libraryVersion() }

// ReadLibraryVersion computes the version from the build information.
var ReadLibraryVersion = readLibraryVersion

// SetCacheLog sends the cache's warnings to w until restore is called.
func SetCacheLog(w io.Writer) (restore func()) {
	old := cacheLog
	cacheLog = w
	return func() { cacheLog = old }
}

// CanonicalText returns the canonical text of v, which the cache hashes
// for Key.Settings.
func CanonicalText(v any) string {
	var b strings.Builder
	c := canon{w: &b, digests: map[*dl.Tensor][32]byte{}}
	c.value(reflect.ValueOf(v))
	return b.String()
}
