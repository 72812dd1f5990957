module github.com/wimgo/wimgo

go 1.26.8

require (
	github.com/peterbourgon/ff/v3 v3.4.0
	golang.org/x/sys v0.50.0
)
