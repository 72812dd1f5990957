package cli

// maxrssUnit is the unit of getrusage's ru_maxrss: bytes on macOS.
const maxrssUnit = 1
