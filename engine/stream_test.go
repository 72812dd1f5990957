package engine

import (
	"bytes"
	"sync"
	"testing"
)

func TestSeqWriterOrdersWrites(t *testing.T) {
	var out bytes.Buffer
	s := newSeqWriter(&out)
	s.window = 8
	// Out of order, from several goroutines; "late" writers wait for the
	// window.
	parts := []string{"aaaa", "bbbb", "cccc", "dddd", "eeee"}
	var wg sync.WaitGroup
	for i := len(parts) - 1; i >= 0; i-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.WriteAt([]byte(parts[i]), int64(4*i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := s.finish(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "aaaabbbbccccddddeeee" {
		t.Fatalf("stream %q", out.String())
	}
	if _, err := s.WriteAt([]byte("x"), 3); err == nil {
		t.Fatal("a write behind the stream was accepted")
	}
	// A write that releases pending ones reports its own length (it
	// reported the last pending one's).
	var out3 bytes.Buffer
	s3 := newSeqWriter(&out3)
	if n, err := s3.WriteAt([]byte("later-part"), 3); n != 10 || err != nil {
		t.Fatalf("pending write: %d, %v", n, err)
	}
	if n, err := s3.WriteAt([]byte("abc"), 0); n != 3 || err != nil {
		t.Fatalf("write releasing a pending one: %d, %v (want 3)", n, err)
	}
	s2 := newSeqWriter(&out)
	s2.WriteAt([]byte("zz"), 10)
	if s2.finish() == nil {
		t.Fatal("a gap was not reported")
	}
}
