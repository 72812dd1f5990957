package resource

func newChunkPipe(w *Writer, c *codec, start int64) (pipe, error) {
	return nil, ErrUnsupported
}
