package blob

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Table is the set of distinct blobs of a WIM being written: those already
// in it and those added by new images.
type Table struct {
	byHash map[[20]byte]*Blob
	// sizes counts blobs per size, stored or pending, so that a new blob
	// whose size is unique can skip hashing until it is written.
	sizes map[int64]int
}

// NewTable returns an empty table.
func NewTable() *Table {
	return &Table{byHash: make(map[[20]byte]*Blob), sizes: make(map[int64]int)}
}

// AddStored records a hashed blob that is already stored (in the WIM or
// just written). A blob with the same hash already present wins.
func (t *Table) AddStored(b *Blob) *Blob {
	if old, ok := t.byHash[b.Hash]; ok {
		if old != b {
			b.merged = old
		}
		return old
	}
	t.byHash[b.Hash] = b
	t.sizes[b.Size]++
	return b
}

// Lookup returns the stored blob with the given hash, or nil.
func (t *Table) Lookup(h [20]byte) *Blob { return t.byHash[h] }

// Len is the number of distinct stored blobs.
func (t *Table) Len() int { return len(t.byHash) }

// All returns the stored blobs in no particular order.
func (t *Table) All() []*Blob {
	out := make([]*Blob, 0, len(t.byHash))
	for _, b := range t.byHash {
		out = append(out, b)
	}
	return out
}

// Dedup merges the new, not yet stored blobs among themselves and with the
// stored ones. Blobs that share a size with any other are hashed first
// (threads at a time); a blob whose size is unique stays unhashed and must be
// hashed while written. It returns the blobs that still need writing, in the
// order given, with duplicates removed.
func (t *Table) Dedup(blobs []*Blob, threads int) ([]*Blob, error) {
	count := make(map[int64]int, len(blobs))
	for _, b := range blobs {
		count[b.Size]++
	}
	var toHash []*Blob
	for _, b := range blobs {
		if !b.Hashed && (count[b.Size] > 1 || t.sizes[b.Size] > 0) {
			toHash = append(toHash, b)
		}
	}
	if err := HashAll(toHash, threads); err != nil {
		return nil, err
	}
	out := blobs[:0:0]
	pending := make(map[[20]byte]*Blob)
	for _, b := range blobs {
		if !b.Hashed {
			out = append(out, b)
			continue
		}
		if old := t.byHash[b.Hash]; old != nil {
			b.merged = old
			b.Drop()
			continue
		}
		if old := pending[b.Hash]; old != nil {
			b.merged = old
			b.Drop()
			continue
		}
		pending[b.Hash] = b
		out = append(out, b)
	}
	for _, b := range out {
		t.sizes[b.Size]++
	}
	return out, nil
}

// hashRunMax and hashRunBytes bound the run of consecutive blobs a HashAll
// goroutine takes at a time: one at a time, the goroutines took turns in
// each directory and each opened it (DirCache), and took the lock per blob.
const (
	hashRunMax   = 64
	hashRunBytes = 1 << 20
)

// hashRun is the run of blobs at the start of todo that one goroutine
// hashes in turn: at least one, at most hashRunMax or, past the first,
// hashRunBytes in all, so big files still spread over the goroutines.
func hashRun(todo []*Blob) []*Blob {
	n, size := 1, todo[0].Size
	for n < len(todo) && n < hashRunMax && size+todo[n].Size <= hashRunBytes {
		size += todo[n].Size
		n++
	}
	return todo[:n]
}

// keepBudget bounds the small files' bytes one HashAll keeps (see Kept).
const keepBudget = 16 << 20

// HashAll hashes the unhashed blobs with a few goroutines; the first error
// wins. Files of at most keepMax bytes keep their bytes in Data while
// keepBudget lasts (see Kept).
func HashAll(blobs []*Blob, threads int) error {
	var todo []*Blob
	for _, b := range blobs {
		if !b.Hashed {
			todo = append(todo, b)
		}
	}
	blobs = todo
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	threads = min(threads, len(blobs))
	if threads == 0 {
		return nil
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
		// Small files' bytes are kept for storing, up to keepBudget in all.
		budget atomic.Int64
	)
	budget.Store(keepBudget)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1<<20)
			var dirs DirCache
			defer dirs.Close()
			for {
				mu.Lock()
				if next >= len(blobs) || first != nil {
					mu.Unlock()
					return
				}
				run := hashRun(blobs[next:])
				next += len(run)
				mu.Unlock()
				for _, b := range run {
					if err := b.computeHash(buf, &budget, &dirs); err != nil {
						mu.Lock()
						if first == nil {
							first = err
						}
						mu.Unlock()
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return first
}
