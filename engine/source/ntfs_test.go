package source

import (
	"testing"

	"github.com/wimgo/wimgo/engine/image"
)

func TestSDSet(t *testing.T) {
	var s sdSet
	a, b := []byte{1, 0, 4, 0x80}, []byte{1, 0, 4, 0x88}
	ids := []uint32{s.add(a), s.add(b), s.add([]byte{1, 0, 4, 0x80}), s.add(b)}
	if ids[0] != 0 || ids[1] != 1 || ids[2] != 0 || ids[3] != 1 || len(s.list) != 2 {
		t.Errorf("ids %v, %d descriptors", ids, len(s.list))
	}
}

func TestIsDotName(t *testing.T) {
	for name, want := range map[string]bool{".": true, "..": true, "...": false, ".a": false, "a": false, "": false} {
		n16, _ := image.ToUTF16(name)
		if got := isDotName(n16); got != want {
			t.Errorf("isDotName(%q) = %v", name, got)
		}
	}
}
