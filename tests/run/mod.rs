//! `selaras run`: the whole pipeline from the command line, resuming an interrupted run, and
//! redoing exactly what a change affects.

mod cli;
mod redo;
mod resume;
