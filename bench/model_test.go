package bench

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestSpreadBytes: a file counts as spread over batches exactly when a
// batch is handed on between two of its chunks.
func TestSpreadBytes(t *testing.T) {
	dir := t.TempDir()
	// 32 KiB chunks: batches of 512 KiB, walked in name order.
	files := []struct {
		name string
		size int64
	}{
		{"a", 400 << 10},        // batch 1, 400 KiB used
		{"b", 100 << 10},        // chunks of 32, 32, 32, 4 KiB: 500 KiB, fits
		{"c", 40 << 10},         // its first chunk does not fit: a new batch, then whole in it
		{"d", 2<<20 + 1},        // spreads
		{"e", 0},                // empty: never stored
		{"f", 16 << 10},         // fits after d's tail
		{"g", (512 << 10) - 16}, // its first chunk fits, a later one does not: spreads
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), make([]byte, f.size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := files[3].size + files[6].size
	if got := spreadBytes(t, dir, 32<<10); got != want {
		t.Fatalf("spreadBytes = %d, want %d (d and g)", got, want)
	}
}

// TestProjectWall pins each tool's model.
func TestProjectWall(t *testing.T) {
	st := stages{scan: 1, read: 4, write: 2, compress: 60, inTurn: 3}
	ours, wimlib := tools[0], tools[1]
	cases := []struct {
		tl      tool
		setting string
		n, jobs int
		want    float64
	}{
		{wimlib, "none", 8, 0, 1 + 4 + 2},
		{ours, "none", 8, 0, 1 + 6.0/8},
		{wimlib, "LZX:50", 8, 0, 1 + 60.0/8},
		{wimlib, "LZX:50", 64, 0, 1 + 4 + 2},
		{ours, "LZX:50", 8, 0, 1 + 64.0/8},
		{ours, "LZX:50", 64, 0, 1 + 3}, // SHA-1 in turn is the serial stage
		{ours, "solid", 64, 4, 1 + 60.0/4},
		{ours, "solid", 2, 4, 1 + 60.0/2},
	}
	for _, c := range cases {
		got, _ := projectWall(c.tl, c.setting, st, c.n, c.jobs)
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s %s on %d cores: %.4f s, want %.4f", c.tl.name, c.setting, c.n, got, c.want)
		}
	}
}

// TestBusyThreads: --solid's memory estimate counts a thread per chunk at
// most; chunked settings every thread.
func TestBusyThreads(t *testing.T) {
	for _, c := range []struct{ threads, jobs, want int }{
		{16, 0, 16}, {64, 0, 64}, {16, 4, 4}, {64, 4, 4}, {2, 4, 2},
	} {
		if got := busyThreads(c.threads, c.jobs); got != c.want {
			t.Errorf("busyThreads(%d, %d) = %d, want %d", c.threads, c.jobs, got, c.want)
		}
	}
}
