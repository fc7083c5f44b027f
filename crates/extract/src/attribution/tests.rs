use super::*;
use crate::testkit::Fixture;
