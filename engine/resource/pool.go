package resource

import "sync"

// pool is the one worker pool behind every layout (plain.go, pipeline.go,
// solid.go). Jobs come from a fixed free list, which bounds memory and
// makes the producer block when the workers fall behind; any worker may
// work on a job, and one finisher takes jobs in the order they were
// submitted, so the bytes written never depend on which worker ran first.
// With one worker there are no goroutines: submit works on and finishes
// each job itself. A pool without a finisher (plain.go, whose jobs know
// their offsets) recycles each job as soon as it is done, in any order, so
// a big blob on one worker never holds up the others.
//
// Its size is fitted to memory once (Writer.poolThreads); a job is not
// worked on once the Writer has failed (the first error is the Writer's),
// but is always finished, so finishers can recycle what they hold.
type pool[J job] struct {
	w       *Writer
	free    chan J
	work    chan J // to the workers
	order   chan J // to the finisher, in submission order
	pending sync.WaitGroup
	running sync.WaitGroup
	serial  func(J) // with one worker
	finish  func(J)
}

// job is what a pool runs: a type embedding signal.
type job interface{ sig() *signal }

// signal is a job's completion signal, from its worker to the finisher.
type signal struct{ done chan struct{} }

func (s *signal) sig() *signal { return s }

// poolSize says how a pool fits: each worker needs perThread bytes, jobs
// (if > 0) bounds the useful workers, and inflight(workers) jobs circulate.
type poolSize struct {
	perThread, jobs int64
	inflight        func(workers int) int
}

// newPool starts a pool: newJob makes each circulating job, newWorker each
// worker's function (owning, say, a compressor), finish (if not nil) runs
// in order; jobs are reset by whoever takes them from get.
func newPool[J job](w *Writer, size poolSize, newJob func() J, newWorker func() (func(J), error), finish func(J)) (*pool[J], error) {
	threads := w.poolThreads(size.perThread, size.jobs)
	p := &pool[J]{w: w, finish: finish}
	nj := 1
	if threads > 1 {
		nj = size.inflight(threads)
	}
	p.free = make(chan J, nj)
	for range nj {
		j := newJob()
		j.sig().done = make(chan struct{}, 1)
		p.free <- j
	}
	workers := make([]func(J), threads)
	for i := range workers {
		var err error
		if workers[i], err = newWorker(); err != nil {
			return nil, err
		}
	}
	if threads == 1 {
		p.serial = workers[0]
		return p, nil
	}
	p.work = make(chan J, nj)
	for _, run := range workers {
		p.running.Add(1)
		go func() {
			defer p.running.Done()
			for j := range p.work {
				if !w.failed() {
					run(j)
				}
				if p.order == nil {
					p.free <- j
					p.pending.Done()
					continue
				}
				j.sig().done <- struct{}{}
			}
		}()
	}
	if finish == nil {
		return p, nil
	}
	p.order = make(chan J, nj)
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		for j := range p.order {
			<-j.sig().done
			p.finish(j)
			p.free <- j
			p.pending.Done()
		}
	}()
	return p, nil
}

// get returns a free job, blocking until one is.
func (p *pool[J]) get() J { return <-p.free }

// submit hands j to the workers, and then to the finisher.
func (p *pool[J]) submit(j J) {
	p.pending.Add(1)
	if p.serial != nil {
		if !p.w.failed() {
			p.serial(j)
		}
		if p.finish != nil {
			p.finish(j)
		}
		p.free <- j
		p.pending.Done()
		return
	}
	if p.order != nil {
		p.order <- j
	}
	p.work <- j
}

// wait returns once every submitted job is finished.
func (p *pool[J]) wait() { p.pending.Wait() }

// stop ends the goroutines, after a wait.
func (p *pool[J]) stop() {
	if p.work != nil {
		close(p.work)
		if p.order != nil {
			close(p.order)
		}
		p.running.Wait()
		p.work = nil
	}
}
