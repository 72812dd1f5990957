package engine

import (
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
)

// What a caller needs of package source to describe an image, so that it
// need not import it.

// Config is a capture configuration (--config): the exclusions, their
// exceptions, the WIMBoot compression lists.
type Config = source.Config

// DefaultConfig is wimlib's configuration when none is given.
func DefaultConfig() *Config { return source.DefaultConfig() }

// ParseConfig parses the configuration file name holding data. What
// wimlib warns about and goes on (unknown sections, lines outside a
// section, drive letters removed) is in the result's Warnings.
func ParseConfig(name string, data []byte) (*Config, error) {
	return source.ParseConfig(name, data)
}

// SourceListEntry is one line of a source list (--source-list): a source
// and where in the image it goes ("" for the root).
type SourceListEntry = source.ListEntry

// ParseSourceList parses the source list file name holding data.
func ParseSourceList(name string, data []byte) ([]SourceListEntry, error) {
	return source.ParseSourceList(name, data)
}

// SnapshotSupported says whether --snapshot (a Volume Shadow Copy of the
// source's volume) works on this system: on Windows only, as in wimlib.
const SnapshotSupported = source.SnapshotSupported

// ErrSnapshotUnsupported is --snapshot's error elsewhere.
var ErrSnapshotUnsupported = source.ErrSnapshotUnsupported

// ParseCompress splits --compress's TYPE[:LEVEL] and checks both (wimlib's
// names and aliases, levels 1 to 2^32-2), returning TYPE as given and
// LEVEL (0 when absent).
func ParseCompress(s string) (string, int, error) { return resource.ParseCompress(s) }
