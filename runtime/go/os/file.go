package os

import (
	"errors"
	"io"
)

// Errors with Go's messages (io/fs's), for errors.Is.
var (
	ErrInvalid    = errors.New("invalid argument")
	ErrPermission = errors.New("permission denied")
	ErrExist      = errors.New("file already exists")
	ErrNotExist   = errors.New("file does not exist")
	ErrClosed     = errors.New("file already closed")
)

// PathError records an error and the operation and file path that caused it.
type PathError struct {
	Op   string
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PathError) Unwrap() error { return e.Err }

// noFileSystem is what opening a path gives: GoOS has no file system (DESIGN.md: files come
// as programs that publish channels). errors.Is reports it as ErrNotExist.
type noFileSystem struct{}

func (noFileSystem) Error() string { return "GoOS has no file system" }

func (noFileSystem) Is(target error) bool { return target == ErrNotExist }

// A File is an open file. GoOS has the console alone: Stdin reads what the console
// types, and Stdout and Stderr both write to it.
type File struct {
	name   string
	fd     uintptr
	closed bool
}

// The standard input, output and error.
var (
	Stdin  = &File{name: "/dev/stdin", fd: 0}
	Stdout = &File{name: "/dev/stdout", fd: 1}
	Stderr = &File{name: "/dev/stderr", fd: 2}
)

// Open opens the named file for reading: on GoOS it fails with a *PathError whose error
// says there is no file system.
func Open(name string) (*File, error) {
	return nil, &PathError{Op: "open", Path: name, Err: noFileSystem{}}
}

// Create creates or truncates the named file: on GoOS it fails as Open does.
func Create(name string) (*File, error) {
	return nil, &PathError{Op: "open", Path: name, Err: noFileSystem{}}
}

// Name returns the name of the file.
func (f *File) Name() string { return f.name }

// Fd returns the file's descriptor number (0, 1 or 2).
func (f *File) Fd() uintptr { return f.fd }

// Write writes b to the console, returning how many bytes it wrote.
func (f *File) Write(b []byte) (n int, err error) {
	if f == nil {
		return 0, ErrInvalid
	}
	if f.closed {
		return 0, &PathError{Op: "write", Path: f.name, Err: ErrClosed}
	}
	if f.fd == 0 {
		return 0, &PathError{Op: "write", Path: f.name, Err: errors.New("bad file descriptor")}
	}
	for n < len(b) {
		chunk := b[n:]
		if len(chunk) > 1<<16 {
			chunk = chunk[:1<<16]
		}
		n += int(consoleWrite(chunk))
	}
	return n, nil
}

// WriteString writes s to the console.
func (f *File) WriteString(s string) (n int, err error) { return f.Write([]byte(s)) }

// Read reads what the console has typed, waiting for input; at its end it returns 0 and
// io.EOF.
func (f *File) Read(b []byte) (n int, err error) {
	if f == nil {
		return 0, ErrInvalid
	}
	if f.closed {
		return 0, &PathError{Op: "read", Path: f.name, Err: ErrClosed}
	}
	if f.fd != 0 {
		return 0, &PathError{Op: "read", Path: f.name, Err: errors.New("bad file descriptor")}
	}
	if len(b) == 0 {
		return 0, nil
	}
	n = int(consoleRead(b))
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// Close closes the file: later reads and writes fail with ErrClosed.
func (f *File) Close() error {
	if f == nil {
		return ErrInvalid
	}
	if f.closed {
		return &PathError{Op: "close", Path: f.name, Err: ErrClosed}
	}
	f.closed = true
	return nil
}

// Getenv returns the value of the environment variable named by key, or "" when it is not
// set. The kernel passes programs no environment yet, so none is set.
func Getenv(key string) string {
	v, _ := LookupEnv(key)
	return v
}

// LookupEnv returns the value of the environment variable named by key and whether it is
// set.
func LookupEnv(key string) (string, bool) { return "", false }

// Environ returns the environment as "key=value" strings: empty on GoOS (see Getenv).
func Environ() []string { return []string{} }

// The console, through the kernel (runtime/std.cpp).
func consoleWrite(b []byte) int64
func consoleRead(b []byte) int64
