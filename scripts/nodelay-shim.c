/* LD_PRELOAD shim for pcscd: sets TCP_NODELAY on every socket pcscd accepts.
 * vsmartcard's vpcd driver (inside pcscd) writes each message's length and payload in
 * two writes; without TCP_NODELAY, Nagle plus the card's delayed ACK cost ~44 ms per
 * APDU. Real USB readers have no such artefact, so tests and benchmarks run pcscd with
 * this shim to measure our code, not Nagle. Built by scripts/pcscd.mjs with cc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void nodelay(int fd) {
  if (fd >= 0) {
    int one = 1;
    /* Fails harmlessly (EOPNOTSUPP) on pcscd's own unix socket. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
  int client = real(fd, addr, len);
  nodelay(client);
  return client;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
  int client = real(fd, addr, len, flags);
  nodelay(client);
  return client;
}
