"""The calculations behind the commands: one typed function per question, typed immutable results."""
