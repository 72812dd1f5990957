package source

// The parts of DIRECTORY CAPTURE (WINDOWS) that are plain byte and string
// handling: parsing what the Windows APIs return (FILE_STREAM_INFORMATION,
// FILE_NAME_INFORMATION, reparse data buffers, self-relative security
// descriptors), the \\?\ path rules and wimlib's reparse-point fixup. They
// build everywhere so that they are unit-tested on Linux against layouts
// written out from Microsoft's documentation; windows.go calls them.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

var le = binary.LittleEndian

// winStream is one $DATA stream of a file.
type winStream struct {
	name16 []byte // UTF-16LE; nil for the unnamed stream
	size   int64
}

// fileStreamInfoHeader is the fixed part of FILE_STREAM_INFORMATION:
// NextEntryOffset u32, StreamNameLength u32 (bytes), StreamSize i64,
// StreamAllocationSize i64, then StreamName (UTF-16, not terminated).
const fileStreamInfoHeader = 24

// parseStreamInfo parses the FILE_STREAM_INFORMATION entries that
// NtQueryInformationFile(FileStreamInformation) returned (buf is cut to the
// length it reported). Like wimlib it keeps only streams of type $DATA:
// "::$DATA" is the unnamed stream, ":name:$DATA" a named one.
func parseStreamInfo(buf []byte) ([]winStream, error) {
	var out []winStream
	for off := 0; len(buf) > 0; {
		if len(buf)-off < fileStreamInfoHeader {
			return nil, fmt.Errorf("stream information entry at offset %d is truncated", off)
		}
		e := buf[off:]
		next := le.Uint32(e)
		nlen := int(le.Uint32(e[4:]))
		size := int64(le.Uint64(e[8:]))
		if nlen%2 != 0 || nlen > len(e)-fileStreamInfoHeader {
			return nil, fmt.Errorf("stream information entry at offset %d: bad name length %d", off, nlen)
		}
		if size < 0 {
			return nil, fmt.Errorf("stream information entry at offset %d: bad stream size %d", off, size)
		}
		if name, ok := dataStreamName(e[fileStreamInfoHeader : fileStreamInfoHeader+nlen]); ok {
			out = append(out, winStream{name16: name, size: size})
		}
		if next == 0 {
			break
		}
		if next < fileStreamInfoHeader || int64(next) > int64(len(e)) {
			return nil, fmt.Errorf("stream information entry at offset %d: bad next-entry offset %d", off, next)
		}
		off += int(next)
	}
	return out, nil
}

// dataStreamName takes a raw stream name ":NAME:TYPE" (UTF-16LE) and
// returns NAME (nil when empty) if TYPE is exactly "$DATA".
func dataStreamName(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || le.Uint16(raw) != ':' {
		return nil, false
	}
	raw = raw[2:]
	for i := 0; i+1 < len(raw); i += 2 {
		if le.Uint16(raw[i:]) != ':' {
			continue
		}
		if string(raw[i+2:]) != string(utf16le("$DATA")) {
			return nil, false
		}
		if i == 0 {
			return nil, true
		}
		return raw[:i:i], true
	}
	return nil, false
}

// parseFileNameInfo returns the name in a FILE_NAME_INFORMATION
// (FileNameLength u32 in bytes, then the UTF-16 name), as
// FileAlternateNameInformation returns a short name; nil when empty.
func parseFileNameInfo(buf []byte) ([]byte, error) {
	if len(buf) < 4 {
		return nil, errors.New("file name information is truncated")
	}
	n := le.Uint32(buf)
	if n%2 != 0 || int64(n) > int64(len(buf)-4) {
		return nil, fmt.Errorf("file name information: bad name length %d", n)
	}
	if n == 0 {
		return nil, nil
	}
	return append([]byte(nil), buf[4:4+n]...), nil
}

// utf16le encodes s (no NUL).
func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		le.PutUint16(b[2*i:], c)
	}
	return b
}

// units decodes UTF-16LE bytes to code units.
func units(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le.Uint16(b[2*i:])
	}
	return u
}

// Path rules. The Win32 API limits ordinary paths to MAX_PATH (260)
// characters; a path in the \\?\ form is passed to the file system as is
// (no "." or ".." processing, no "/" separators) and may be about 32767
// characters long. The scanner works on such paths only.

// winExtendedPath returns the \\?\ form of an absolute Windows path: "/"
// becomes "\", empty and "." components go, ".." removes the one before
// (never the drive or share). Paths already in the \\?\, \??\ or \\.\
// form are returned unchanged. A relative path is an error: the caller
// makes it absolute first (GetFullPathName).
func winExtendedPath(p string) (string, error) {
	if strings.HasPrefix(p, `\\?\`) || strings.HasPrefix(p, `\??\`) || strings.HasPrefix(p, `\\.\`) {
		return p, nil
	}
	p = strings.ReplaceAll(p, "/", `\`)
	var root, rest string
	switch {
	case len(p) >= 3 && p[1] == ':' && p[2] == '\\' && isDriveLetter(p[0]):
		root, rest = `\\?\`+p[:2]+`\`, p[3:]
	case strings.HasPrefix(p, `\\`):
		// \\server\share\rest
		parts := strings.SplitN(p[2:], `\`, 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return "", fmt.Errorf("%s: not a complete UNC path (\\\\server\\share)", p)
		}
		root = `\\?\UNC\` + parts[0] + `\` + parts[1] + `\`
		if len(parts) == 3 {
			rest = parts[2]
		}
	default:
		return "", fmt.Errorf("%s: not an absolute Windows path", p)
	}
	var comps []string
	for _, c := range strings.Split(rest, `\`) {
		switch c {
		case "", ".":
		case "..":
			if len(comps) > 0 {
				comps = comps[:len(comps)-1]
			}
		default:
			comps = append(comps, c)
		}
	}
	return root + strings.Join(comps, `\`), nil
}

func isDriveLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// winJoin appends a name to a directory path in the \\?\ form.
func winJoin(dir, name string) string {
	if strings.HasSuffix(dir, `\`) {
		return dir + name
	}
	return dir + `\` + name
}

// winDisplayPath is a \\?\ path as messages show it (as the user would
// type it).
func winDisplayPath(p string) string {
	switch {
	case strings.HasPrefix(p, `\\?\UNC\`):
		return `\\` + p[len(`\\?\UNC\`):]
	case strings.HasPrefix(p, `\\?\`):
		return p[len(`\\?\`):]
	}
	return p
}

// ntToWin32Path turns an NT namespace path (a link target such as
// \??\C:\dir or \Device\HarddiskVolume4\dir) into a path CreateFile
// opens.
func ntToWin32Path(nt string) string {
	for _, p := range []string{`\??\`, `\DosDevices\`, `\GLOBAL??\`} {
		if len(nt) >= len(p) && strings.EqualFold(nt[:len(p)], p) {
			return `\\?\` + nt[len(p):]
		}
	}
	return `\\?\GLOBALROOT` + nt
}

// Reparse points.

// reparseHeader is the REPARSE_DATA_BUFFER header: ReparseTag u32,
// ReparseDataLength u16, Reserved u16. The WIM stores the tag and Reserved
// in the dentry and the data after the header as the reparse stream.
const reparseHeader = 8

// splitReparseBuffer splits what FSCTL_GET_REPARSE_POINT returned (buf cut
// to the returned length). As wimlib, the data is everything after the
// header, whatever ReparseDataLength says.
func splitReparseBuffer(buf []byte) (tag uint32, reserved uint16, data []byte, err error) {
	if len(buf) < reparseHeader {
		return 0, 0, nil, fmt.Errorf("reparse point buffer is too short (%d bytes)", len(buf))
	}
	return le.Uint32(buf), le.Uint16(buf[6:]), buf[reparseHeader:], nil
}

// linkReparse is a symbolic link or junction (mount point) reparse point.
// Its data is SubstituteNameOffset, SubstituteNameLength, PrintNameOffset,
// PrintNameLength (u16 each, bytes, offsets from the end of this header),
// for a symbolic link Flags u32, then the path buffer.
type linkReparse struct {
	tag          uint32
	flags        uint32 // symbolic links only
	subst, print []byte // UTF-16LE
}

var errNotLink = errors.New("not a symbolic link or junction")

// parseLinkReparse parses the data (after the 8-byte header) of a
// symbolic link or junction, checking what wimlib checks: even offsets and
// lengths, names inside the data.
func parseLinkReparse(tag uint32, data []byte) (*linkReparse, error) {
	hdr := 8
	switch tag {
	case wimfmt.ReparseTagSymlink:
		hdr = 12
	case wimfmt.ReparseTagMountPoint:
	default:
		return nil, errNotLink
	}
	if len(data) < hdr {
		return nil, fmt.Errorf("link reparse data is too short (%d bytes)", len(data))
	}
	so, sn := int(le.Uint16(data)), int(le.Uint16(data[2:]))
	po, pn := int(le.Uint16(data[4:])), int(le.Uint16(data[6:]))
	if (so|sn|po|pn)&1 != 0 {
		return nil, errors.New("link reparse data: names not aligned")
	}
	names := data[hdr:]
	if so+sn > len(names) || po+pn > len(names) {
		return nil, errors.New("link reparse data: names overflow the buffer")
	}
	l := &linkReparse{tag: tag, subst: names[so : so+sn : so+sn], print: names[po : po+pn : po+pn]}
	if tag == wimfmt.ReparseTagSymlink {
		l.flags = le.Uint32(data[8:])
	}
	return l, nil
}

// data encodes the link as wimlib does: substitute name at offset 0, then
// the print name, each followed by a NUL that the lengths do not count.
func (l *linkReparse) data() []byte {
	if l.tag == wimfmt.ReparseTagSymlink {
		return wimfmt.SymlinkReparseData(l.subst, l.print, l.flags)
	}
	b := make([]byte, 8, 8+len(l.subst)+len(l.print)+4)
	le.PutUint16(b[2:], uint16(len(l.subst)))
	le.PutUint16(b[4:], uint16(len(l.subst)+2))
	le.PutUint16(b[6:], uint16(len(l.print)))
	b = append(b, l.subst...)
	b = append(b, 0, 0)
	b = append(b, l.print...)
	return append(b, 0, 0)
}

// relativeSymlink reports a symbolic link flagged SYMLINK_FLAG_RELATIVE:
// wimlib (and WIMGAPI) never fix those up, drive-relative targets such as
// \Users\Public included.
func (l *linkReparse) relativeSymlink() bool {
	return l.tag == wimfmt.ReparseTagSymlink && l.flags&wimfmt.SymlinkRelative != 0
}

// rpfixLink is --rpfix for one symbolic link or junction, as wimlib does
// on Windows. The substitute name of an absolute link is an NT namespace
// path (\??\C:\dir\x, \Device\HarddiskVolume4\dir\x, ...). Its prefixes,
// one more component at a time (each with the backslashes after it), are
// handed to isRoot, which opens them and compares the file with the
// capture root (volume serial number and file ID). At the first match the
// rest of the target, from the backslash before it, is kept behind a dummy
// absolute prefix: substitute name \??\X:\rest, print name X:\rest. It
// returns nil when the link is relative, leads outside the capture root,
// or is not an absolute NT path: such links are stored unchanged, with
// NOT_FIXED set.
func rpfixLink(l *linkReparse, isRoot func(ntPrefix string) bool) *linkReparse {
	if l.relativeSymlink() {
		return nil
	}
	t := units(l.subst)
	if len(t) == 0 || t[0] != '\\' || (len(t) >= 2 && t[1] == '\\') {
		return nil
	}
	p := 0
	matched := false
	for p < len(t) && !matched {
		for p < len(t) && t[p] != '\\' {
			p++
		}
		for p < len(t) && t[p] == '\\' {
			p++
		}
		matched = isRoot(string(utf16.Decode(t[:p])))
	}
	if !matched {
		return nil
	}
	for p > 0 && t[p-1] == '\\' {
		p--
	}
	if p == 0 {
		return nil
	}
	rel := l.subst[2*p:]
	subst := append(utf16le(`\??\X:`), rel...)
	fixed := &linkReparse{tag: l.tag, flags: l.flags, subst: subst, print: subst[8:]}
	if reparseHeader+len(fixed.data()) > reparseHeader+wimfmt.MaxReparseData {
		return nil
	}
	return fixed
}

// Security descriptors.

// Security information classes asked for, as wimlib asks: owner, group,
// DACL, SACL, and the label and backup classes without which Windows 7 and
// 8 leave parts of the SACL out.
const (
	secOwner  = 0x1
	secGroup  = 0x2
	secDACL   = 0x4
	secSACL   = 0x8
	secLabel  = 0x10
	secBackup = 0x10000

	secAll = secOwner | secGroup | secDACL | secSACL | secLabel | secBackup
)

// sdDenied is what to do when reading a security descriptor with the
// classes in asked is refused (access denied, or the privilege to read
// the SACL not held), as wimlib decides: with --strict-acls fail; else
// try again without the SACL parts if they were asked; else store the
// file without a security descriptor. retry is the classes to ask next
// (when not fail and not none).
func sdDenied(asked uint32, strict bool) (retry uint32, none, fail bool) {
	switch {
	case strict:
		return 0, false, true
	case asked&secSACL != 0:
		return asked &^ (secSACL | secLabel | secBackup), false, false
	}
	return 0, true, false
}

// SECURITY_DESCRIPTOR_RELATIVE: Revision u8 (1), Sbz1 u8, Control u16,
// then the offsets of Owner, Group, Sacl, Dacl (u32, 0 when absent).
const (
	sdHeader       = 20
	sdSelfRelative = 0x8000
)

// checkSelfRelativeSD checks that sd is a self-relative security
// descriptor whose parts lie inside it, before it goes into the image's
// security data.
func checkSelfRelativeSD(sd []byte) error {
	if len(sd) < sdHeader {
		return fmt.Errorf("security descriptor is too short (%d bytes)", len(sd))
	}
	if sd[0] != 1 {
		return fmt.Errorf("security descriptor has revision %d, not 1", sd[0])
	}
	ctl := le.Uint16(sd[2:])
	if ctl&sdSelfRelative == 0 {
		return errors.New("security descriptor is not self-relative")
	}
	for i, what := range []string{"owner", "group", "SACL", "DACL"} {
		off := le.Uint32(sd[4+4*i:])
		if off == 0 {
			continue
		}
		// 8 bytes: a SID with no subauthority, or an ACL header.
		if off < sdHeader || uint64(off)+8 > uint64(len(sd)) {
			return fmt.Errorf("security descriptor: %s at offset %d is outside its %d bytes", what, off, len(sd))
		}
		if what == "owner" || what == "group" {
			n := uint64(8 + 4*int(sd[off+1]))
			if uint64(off)+n > uint64(len(sd)) {
				return fmt.Errorf("security descriptor: %s SID overflows its %d bytes", what, len(sd))
			}
			continue
		}
		size := uint64(le.Uint16(sd[off+2:]))
		if size < 8 || uint64(off)+size > uint64(len(sd)) {
			return fmt.Errorf("security descriptor: %s of %d bytes at offset %d overflows its %d bytes", what, size, off, len(sd))
		}
	}
	return nil
}
