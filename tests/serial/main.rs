//! The tests that must have the stack to themselves, one at a time: the fault tests
//! (faults set on the one fault proxy would hit any other test's calls) and the count of
//! a tick's requests (counted emulator-wide). Each takes `FaultProxy::exclusive` for its
//! whole run; the stack's SDK calls go through the proxy, faults off unless a test sets
//! them.
mod faults;
mod requests;
