/* help.h: the help texts of the commands. */
#ifndef MIRAGE_HELP_H
#define MIRAGE_HELP_H

/* The one-line usage of cmd ("mirage build [-j N] ..."), or NULL. */
const char *help_usage(const char *cmd);
/* The full help of cmd, or NULL. */
const char *help_text(const char *cmd);
/* The overview printed by `mirage help`. */
const char *help_overview(void);

#endif
