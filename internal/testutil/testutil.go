// Package testutil holds the checks that the tests of several packages
// share: a panic with a given message, and that every exported function
// names a nil or released tensor argument (CheckNilArgs). It imports
// nothing of dl, so that dl's own tests can use it; the gradient check is
// in package gradcheck.
package testutil

import (
	"fmt"
	"strings"
	"testing"
)

// Panics checks that f panics with a message that contains want.
func Panics(t testing.TB, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic; want one containing %q", want)
			return
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Errorf("panic %q; want it to contain %q", msg, want)
		}
	}()
	f()
}
