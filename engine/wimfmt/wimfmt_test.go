package wimfmt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

func TestHeaderLayout(t *testing.T) {
	h := &Header{Version: VersionDefault, Flags: HdrFlagRPFix, PartNumber: 1, TotalParts: 1, ImageCount: 1,
		BlobTable: ResHdr{StoredSize: 250, Flags: ResFlagMetadata, Offset: 0x10067a, OriginalSize: 250},
		XML:       ResHdr{StoredSize: 780, Flags: ResFlagMetadata, Offset: 0x100774, OriginalSize: 780},
		Integrity: ResHdr{StoredSize: 32, Offset: 0x524, OriginalSize: 32}}
	b := h.Bytes()
	if len(b) != HeaderSize || HeaderSize != 208 {
		t.Fatalf("header is %d bytes", len(b))
	}
	// Bytes from wim-format.md §1 (t1.wim) and the integrity reshdr at 0x7C.
	want := "4d5357494d000000d0000000000d0100"
	if got := hex.EncodeToString(b[:16]); got != want {
		t.Fatalf("header start %s, want %s", got, want)
	}
	if got := hex.EncodeToString(b[0x30:0x48]); got != "fa000000000000027a06100000000000fa00000000000000" {
		t.Fatalf("blob table reshdr %s", got)
	}
	if b[0x7C] != 32 || b[0x84] != 0x24 || b[0x85] != 0x05 {
		t.Fatalf("integrity reshdr not at 0x7C: % x", b[0x78:0x94])
	}
	h2, err := ParseHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	if *h2 != *h {
		t.Fatalf("round trip: %+v != %+v", h2, h)
	}
	if _, err := ParseHeader(b[:100]); !errors.Is(err, ErrNotWIM) {
		t.Fatalf("short header: %v", err)
	}
	bad := bytes.Clone(b)
	bad[0] = 'X'
	if _, err := ParseHeader(bad); !errors.Is(err, ErrNotWIM) {
		t.Fatalf("bad magic: %v", err)
	}
}

func TestResHdrAndBlobEntrySizes(t *testing.T) {
	r := ResHdr{StoredSize: 1<<56 - 1, Flags: 0x16, Offset: 1 << 40, OriginalSize: 1<<40 + 5}
	var b [ResHdrSize]byte
	r.Put(b[:])
	if ParseResHdr(b[:]) != r {
		t.Fatal("reshdr round trip")
	}
	e := BlobEntry{Hdr: r, PartNumber: 1, RefCount: 7, Hash: [20]byte{1, 2, 3}}
	tb := AppendBlobEntry(nil, &e)
	if len(tb) != 50 {
		t.Fatalf("blob entry is %d bytes", len(tb))
	}
	got, err := ParseBlobTable(tb)
	if err != nil || len(got) != 1 || got[0] != e {
		t.Fatalf("blob table round trip: %v %+v", err, got)
	}
	if _, err := ParseBlobTable(tb[:49]); !errors.Is(err, ErrCorrupt) {
		t.Fatal("odd-sized blob table accepted")
	}
}

func TestDentryRoundTrip(t *testing.T) {
	name := []byte{'a', 0, '.', 0, 't', 0, 'x', 0, 't', 0}
	d := &Dentry{Attributes: AttrNormal, SecurityID: NoSecurityID, CreationTime: 0x01D5C1194AD6D707,
		LastAccessTime: 2, LastWriteTime: 3, Hash: [20]byte{0xf5, 0x72}, HardLinkGroup: 4, Name: name}
	b := AppendDentry(nil, d)
	if len(b) != 120 || d.Length() != 120 {
		t.Fatalf("dentry length %d, want 120 (wim-format.md §4.2)", len(b))
	}
	got, next, end, err := ParseDentry(b, 0)
	if err != nil || end || next != 120 {
		t.Fatalf("parse: %v %v %d", err, end, next)
	}
	if !bytes.Equal(got.Name, name) || got.HardLinkGroup != 4 || got.Hash != d.Hash || got.CreationTime != d.CreationTime {
		t.Fatalf("round trip: %+v", got)
	}
	root := &Dentry{Attributes: AttrDirectory, SecurityID: NoSecurityID}
	if root.Length() != 104 {
		t.Fatalf("root length %d, want 104", root.Length())
	}
	// A reparse point with two stream entries.
	r := &Dentry{Attributes: AttrReparsePoint, ReparseTag: ReparseTagSymlink, RPFlags: RPNotFixed, Name: name,
		Streams: []StreamEntry{{Hash: [20]byte{9}}, {}}}
	b = AppendDentry(nil, r)
	if len(b) != 120+40+40 {
		t.Fatalf("reparse dentry with streams is %d bytes", len(b))
	}
	got, next, _, err = ParseDentry(b, 0)
	if err != nil || next != len(b) || got.ReparseTag != ReparseTagSymlink || got.RPFlags != RPNotFixed || len(got.Streams) != 2 || got.Streams[0].Hash[0] != 9 {
		t.Fatalf("reparse round trip: %v %+v", err, got)
	}
	// Truncations never panic.
	for i := range b {
		ParseDentry(b[:i], 0)
	}
}

func TestSecurityAndIntegrity(t *testing.T) {
	b := AppendSecurityData(nil, nil)
	if hex.EncodeToString(b) != "0800000000000000" {
		t.Fatalf("empty security block % x", b)
	}
	sds := [][]byte{{1, 2, 3}, {4, 5, 6, 7, 8}}
	b = AppendSecurityData(nil, sds)
	if len(b)%8 != 0 {
		t.Fatal("security block not padded")
	}
	got, n, err := ParseSecurityData(b)
	if err != nil || n != len(b) || len(got) != 2 || !bytes.Equal(got[1], sds[1]) {
		t.Fatalf("security round trip: %v %d %v", err, n, got)
	}
	it := &IntegrityTable{ChunkSize: IntegrityChunkSize, Hashes: [][20]byte{{1}, {2}}}
	ib := it.Bytes()
	if len(ib) != 52 {
		t.Fatalf("integrity table %d bytes", len(ib))
	}
	it2, err := ParseIntegrityTable(ib)
	if err != nil || len(it2.Hashes) != 2 || it2.Hashes[1][0] != 2 {
		t.Fatalf("integrity round trip %v", err)
	}
}

func TestSymlinkReparseData(t *testing.T) {
	// rel -> a.txt, from wim-format.md §11.1.
	n := []byte{'a', 0, '.', 0, 't', 0, 'x', 0, 't', 0}
	b := SymlinkReparseData(n, n, SymlinkRelative)
	want := "00000a000c000a0001000000"
	if hex.EncodeToString(b[:12]) != want || len(b) != 36 {
		t.Fatalf("reparse data % x", b)
	}
}
