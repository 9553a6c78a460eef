/* inherit.h - steps 1 and 2: what a setuid program inherits from its
 * caller, undone (descriptors, signals, environment, limits). */
#ifndef OPENFILE_INHERIT_H
#define OPENFILE_INHERIT_H

/* The stack the helper's deepest frames (path buffers) fit in, with room
 * to spare; a caller's lower hard limit is refused, not crashed into. */
#define HELPER_STACK (256 * 1024)

/* Makes fds 0, 1 and 2 exist and closes every other but keep. */
void fds_sanitize(int keep);
/* Closes every descriptor from first up. */
void fds_close_from(int first);
/* Every signal's disposition back to the default (an ignored one
 * survives execve).  Returns 0, or -1 if one stays ignored. */
int signals_default(void);
/* No environment, no signal state, the limits the helper relies on, and
 * an alarm at HELPER_TIMEOUT. */
void env_sanitize(void);
/* Whether the caller's limits leave the helper what it needs. */
int limits_ok(void);

#endif /* OPENFILE_INHERIT_H */
