# Sourced by the bench scripts that start a PostgreSQL cluster of their own.
#
# free_port: prints a loopback port in 20000–39999 on which nothing answers (a random
# try, up to 50 times); fails, printing nothing, when none is found.
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
