//go:build !(ntfs3g && cgo)

package source

import (
	"errors"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

func TestScanNTFSWithoutSupport(t *testing.T) {
	_, err := ScanNTFS("/dev/sdz9", nil)
	if !errors.Is(err, wimfmt.ErrUnsupported) || !strings.Contains(err.Error(), "-tags ntfs3g") {
		t.Errorf("error %v", err)
	}
}
