package source

// utimeOmit leaves a time unchanged in utimensat(2); x/sys/unix does not
// define it for macOS, whose value is -2.
const utimeOmit = -2
