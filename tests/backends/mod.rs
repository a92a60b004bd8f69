//! Translation and embedding backends: command, LibreTranslate, OpenAI-compatible chat, the
//! HTTP embedder, and the command line's backend options.

mod cli;
mod command;
mod embed_http;
mod libretranslate;
mod openai;
