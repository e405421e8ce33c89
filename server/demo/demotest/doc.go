// Package demotest gives tests a database holding the demo landlord, with
// or without its history, copied from one seeded once per test binary.
// Making the history syncs a month of changes one by one, most of a second;
// a copy of the file takes a few milliseconds, and many tests start from
// the demo.
package demotest
