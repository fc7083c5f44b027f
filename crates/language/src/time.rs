//! Time expressions. (Filled in by the time-expression work.)
