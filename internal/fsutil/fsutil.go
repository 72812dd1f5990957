// Package fsutil holds the file-opening policy every reader of source files
// shares, and the raw file handles those readers use: a descriptor on
// UNIX, a handle on Windows (FD).
package fsutil
