package resource

import (
	"errors"
	"testing"
	"time"
)

// TestSegmentsHashedInTurn: blobs of several batches each, from files and
// memory, on more workers than cores, get the SHA-1 of their bytes in
// order, and the same resources as on one thread.
func TestSegmentsHashedInTurn(t *testing.T) {
	useRLE(t)
	var datas [][]byte
	for i := range 12 {
		n := 3<<20 + i*40000 // six or more 512 KiB batches of 32 KiB chunks
		if i%3 == 0 {
			n = 1 + i*1000 // small blobs between them, whole in a batch
		}
		datas = append(datas, randomData(n, uint64(i)))
	}
	for _, kind := range []string{"Path", "Data"} {
		var want []byte
		for _, threads := range []int{1, 4} {
			f, blobs, _ := writeAll(t, Options{Type: rleType, ChunkSize: 32768, Threads: threads}, kind, datas)
			for i, b := range blobs {
				checkBlob(t, f, b, datas[i], rleType, 32768)
			}
			if threads == 1 {
				want = f.b
			} else if string(f.b) != string(want) {
				t.Fatalf("%s: 4 threads wrote other bytes than 1", kind)
			}
		}
	}
}

// TestSegmentFailureWakes: when an early segment of a blob cannot be read,
// the workers waiting to hash its later segments give up and Flush
// returns the error, instead of waiting for a turn that never comes.
func TestSegmentFailureWakes(t *testing.T) {
	useRLE(t)
	errBroken := errors.New("broken segment")
	read := readSegment
	t.Cleanup(func() { readSegment = read })
	readSegment = func(f *filler, sg *segment, dst []byte) error {
		if sg.index == 0 && !sg.whole() {
			// Let the later segments' workers read and start waiting.
			time.Sleep(100 * time.Millisecond)
			return errBroken
		}
		return read(f, sg, dst)
	}
	w, err := NewWriter(&memFile{}, 0, Options{Type: rleType, ChunkSize: 32768, Threads: 4})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		werr := w.Write(makeBlob(t, "Path", randomData(4<<20, 7)))
		if werr == nil {
			werr = w.Flush()
		}
		w.Close()
		done <- werr
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errBroken) {
			t.Fatalf("got %v, want the segment's error", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Flush still waiting 20 s after a segment failed")
	}
}
