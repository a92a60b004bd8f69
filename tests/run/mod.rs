//! `selaras run`: the whole pipeline from the command line, and resuming an interrupted run.

mod cli;
mod resume;
