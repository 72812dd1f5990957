// Package pages hands memory a program keeps allocated but will not read
// again back to the system (madvise MADV_DONTNEED), so that big buffers
// idle for a while (the LZMS suffix sort's lent bitmaps, a solid
// resource's output and input buffers between chunks) do not count in the
// peak resident memory. The contents of released pages are unspecified:
// callers write them before reading them again.
package pages
