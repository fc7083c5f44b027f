//! Place recognition and resolution (filled in next).
