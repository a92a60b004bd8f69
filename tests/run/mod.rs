//! `selaras run`: the whole pipeline from the command line, resuming an interrupted run, and
//! what a run after a change redoes.

mod cli;
mod redo;
mod resume;
