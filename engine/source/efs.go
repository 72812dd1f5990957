package source

// Encrypted (EFS) files on Windows, stored as wimlib 1.13.5 stores them:
// the file's raw encrypted form, as ReadEncryptedFileRaw exports it (the
// [MS-EFSR] "EFSRPC raw data", holding every data stream of the file and
// its keys, never the plaintext), becomes the file's unnamed data stream
// (a directory's too); the file keeps FILE_ATTRIBUTE_ENCRYPTED and gets
// no named streams or reparse data. Its size is what one full export
// gives, and writing reads that many bytes of a second export. The raw API
// pushes the data through a callback; efsReader turns that into an
// io.Reader. This file builds everywhere so that the bookkeeping is
// unit-tested against a fake of the API; efs_windows.go binds advapi32.

import (
	"errors"
	"fmt"
	"io"
)

// efsAPI is OpenEncryptedFileRawW, ReadEncryptedFileRaw and
// CloseEncryptedFileRaw.
type efsAPI interface {
	// open opens path (a \\?\ path) for a raw export; dir says it is a
	// directory (CREATE_FOR_DIR).
	open(path string, dir bool) (ctx uintptr, err error)
	// read calls export with each piece of the export in order, until
	// the end or export's first error. The piece is only valid during
	// the call.
	read(ctx uintptr, export func([]byte) error) error
	close(ctx uintptr)
}

// efsExport runs one raw export of path through export. An error names
// the file; export's own error wins over the API's report of it.
func efsExport(api efsAPI, path, disp string, dir bool, export func([]byte) error) error {
	ctx, err := api.open(path, dir)
	if err != nil {
		return fmt.Errorf("%s: cannot open the encrypted file for raw reading: %w", disp, err)
	}
	defer api.close(ctx)
	var exportErr error
	err = api.read(ctx, func(b []byte) error {
		if exportErr = export(b); exportErr != nil {
			return exportErr
		}
		return nil
	})
	switch {
	case exportErr != nil:
		return exportErr
	case err != nil:
		return fmt.Errorf("%s: cannot read the raw encrypted data: %w", disp, err)
	}
	return nil
}

// efsRawSize is the size of the file's raw export (one full export,
// counted).
func efsRawSize(api efsAPI, path, disp string, dir bool) (int64, error) {
	var n int64
	err := efsExport(api, path, disp, dir, func(b []byte) error {
		n += int64(len(b))
		return nil
	})
	return n, err
}

// errEFSClosed stops an export whose reader was closed early.
var errEFSClosed = errors.New("reader closed")

// efsReader reads the first size bytes of the file's raw export: the
// export runs on its own goroutine, each piece handed over through a pipe
// (the callback returns once the reader has taken all of it). Bytes past
// size are dropped, as wimlib drops them; fewer is an error naming the
// file. Close stops the export and waits for it to end.
func efsReader(api efsAPI, path, disp string, dir bool, size int64) io.ReadCloser {
	pr, pw := io.Pipe()
	r := &efsPipe{pr: pr, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		left := size
		err := efsExport(api, path, disp, dir, func(b []byte) error {
			b = b[:min(int64(len(b)), left)]
			if len(b) == 0 {
				return nil
			}
			if _, err := pw.Write(b); err != nil {
				return errEFSClosed
			}
			left -= int64(len(b))
			return nil
		})
		if err == nil && left > 0 {
			err = fmt.Errorf("%s: only %d of %d bytes of raw encrypted data could be read", disp, size-left, size)
		}
		pw.CloseWithError(err) // nil: io.EOF
	}()
	return r
}

type efsPipe struct {
	pr   *io.PipeReader
	done chan struct{}
}

func (r *efsPipe) Read(p []byte) (int, error) { return r.pr.Read(p) }

func (r *efsPipe) Close() error {
	r.pr.Close()
	<-r.done
	return nil
}
