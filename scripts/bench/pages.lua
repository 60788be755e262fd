-- wrk script: GET the path in LIST_PATH with ?page=1..4000 in turn, so the shop's list cache
-- rarely has the page (a cold read each time; scripts/bench.sh).
local n = 0
local base = os.getenv("LIST_PATH")

function request()
  n = n + 1
  return wrk.format("GET", string.format("%s?page=%d", base, 1 + (n * 7) % 4000))
end
