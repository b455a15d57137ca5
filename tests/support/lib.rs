//! Support code of the validation suite: the closed forms of queueing theory ([`queueing`]), the
//! rule that turns a simulation's confidence interval into a tolerance ([`check`]), and the cases
//! that both the tests (`tests/validation.rs`) and the docs table (`examples/validation_table.rs`)
//! run ([`cases`]).

pub mod cases;
pub mod check;
pub mod queueing;
