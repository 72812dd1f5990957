package engine

import (
	"time"

	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
)

// Options configure a WIM being written. The zero value means wimlib's
// defaults: LZX at level 50 with 32 KiB chunks, one thread per CPU, no
// integrity table.
type Options struct {
	// Compression is "none", "XPRESS" ("fast"), "LZX" ("maximum", "max") or
	// "LZMS" ("recovery"), case-insensitive; "" means LZX, or LZMS with
	// Solid (as wimlib-imagex). Ignored by Append, which keeps the WIM's
	// own.
	Compression string
	// Level is the compression level on wimlib's scale (20 quick, 50
	// default, 100 high); 0 means 50.
	Level int
	// ChunkSize is the non-solid chunk size; 0 means the type's default.
	ChunkSize int
	// Threads is the number of compression workers; 0 means one per CPU.
	// It is capped at resource.MaxThreads, and each worker pool takes fewer
	// when its workers would not fit in half of RAM (wimlib fits too).
	Threads int
	// Solid stores file data in solid resources (--solid), compressed with
	// SolidCompression ("" means LZMS, as wimlib) at SolidLevel (0: 50) in
	// chunks of SolidChunkSize (0: the type's default). Metadata stays in
	// ordinary resources of Compression.
	Solid            bool
	SolidCompression string
	SolidLevel       int
	SolidChunkSize   int
	// Integrity writes an integrity table (--check, --include-integrity).
	Integrity bool
	// NoIntegrity drops the integrity table of the WIM being appended to
	// (--nocheck), which Append otherwise keeps up to date.
	NoIntegrity bool
	// Time, when set, replaces "now" for the XML creation and
	// modification times, and the GUID is derived from the written content,
	// so that the same input gives the same bytes (SOURCE_DATE_EPOCH).
	Time *time.Time
	// DeltaFrom names base WIMs (--delta-from): blobs they hold are left
	// out of this WIM and its blob table.
	DeltaFrom []string
	// Pipable writes wimlib's pipable format (--pipable), which can be
	// written to and applied from a pipe. Not readable by Microsoft's tools
	// or 7-Zip.
	Pipable bool
	// NotPipable, with Append's Rebuild, writes a pipable WIM back as a
	// regular one (--not-pipable); Pipable does the reverse.
	NotPipable bool
	// Sync flushes the file to disk before the header is written (always
	// done for in-place appends, whose header write is their commit point).
	// A new WIM that replaces an existing file should be synced before the
	// rename, so that a crash cannot leave a half-written file in place of
	// a good one.
	Sync bool
	// Progress, when set, receives progress reports from the goroutine
	// that called AddImage or Close.
	Progress func(Progress)
	// Warn, when set, receives warnings (files skipped).
	Warn func(string)
}

// Progress reports what a long operation has done so far, and the events
// wimlib reports through its progress messages.
type Progress struct {
	Phase string // "scan", "write", or an event: "excluded", "fixed-symlink", "template"
	// Scan: files and directories seen (Dirs of them directories; exact
	// in the last scan report, estimated before), and the bytes of file
	// data found.
	Files, Dirs int64
	Bytes       int64
	// Write: uncompressed bytes written of Total, in Compression ("LZX",
	// "None"...) with Threads workers at most.
	Done, Total int64
	Compression string
	Threads     int
	// Events: the path excluded by the configuration or whose absolute
	// symbolic link target was made relative; the --update-of image used.
	Path  string
	Image int
}

// Property is one --image-property NAME=VALUE.
type Property struct{ Name, Value string }

// ImageOptions describe one image to add.
type ImageOptions struct {
	Name        string // "" makes an unnamed image
	Description string
	Flags       string // the <FLAGS> element
	Properties  []Property
	Boot        bool // make this the bootable image
	// SourceList: Source names a source list file ("-" for stdin is the
	// caller's business: pass SourceListData).
	SourceList     bool
	SourceListData []byte
	Dereference    bool
	UnixData       bool
	// NoACLs leaves security descriptors out (NTFS volume capture; a
	// directory capture on UNIX stores none anyway).
	NoACLs bool
	// StrictACLs fails where a security descriptor cannot be read (a
	// directory capture on Windows).
	StrictACLs bool
	// Snapshot captures a directory from a Volume Shadow Copy of its
	// volume, held until the image's data is written (--snapshot;
	// Windows only, source.ErrSnapshotUnsupported elsewhere).
	Snapshot bool
	// RPFix fixes absolute symlink targets pointing inside the tree.
	RPFix  bool
	Config *source.Config
	// Skip lists files never captured (the WIM itself and its temp file).
	Skip []source.FileID
	// UpdateOf names an image the new one mostly repeats (--update-of):
	// files whose size and times match it are not read again when their
	// data is already stored.
	UpdateOf *Template
	// WIMBootConfigFile, when set, names a file stored in the image as
	// Windows/System32/WimBootCompress.ini (--wimboot with --config).
	WIMBootConfigFile string
	// WIMBoot sets the image's WIMBOOT element.
	WIMBoot bool
}

// solidParams resolves and checks the --solid settings.
func solidParams(o *Options) (resource.Settings, error) {
	return resource.ParseSettings(o.SolidCompression, o.SolidLevel, o.SolidChunkSize, resource.Solid)
}

// codecParams resolves and checks the compression settings, and caps
// o.Threads, which also sizes the scan and hashing goroutines.
func codecParams(o *Options) (resource.Settings, error) {
	o.Threads = resource.Threads(o.Threads)
	use := resource.Ordinary
	if o.Solid {
		use = resource.SolidWIM
	}
	return resource.ParseSettings(o.Compression, o.Level, o.ChunkSize, use)
}
