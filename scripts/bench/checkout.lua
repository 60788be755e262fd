-- wrk script: guest checkouts, each of its own cart (made beforehand by scripts/bench.sh:
-- sessions bench-cart-<thread>-<n>, one distinct product each). Counts the answers by status.
local thread_ids = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_ids)
  thread_ids = thread_ids + 1
  table.insert(threads, thread)
end

function init()
  n = 0
  placed = 0
  refused = 0
end

function request()
  n = n + 1
  local session = string.format("bench-cart-%d-%030d", id, n)
  local body = '{"cart_session":"' .. session .. '","email":"bench@example.lu","payment_method":"bank_transfer",'
    .. '"shipping_address":{"name":"Bench","street":"1 rue","postal_code":"L-1","city":"Lux","country":"LU"}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status)
  if status == 201 then placed = placed + 1 else refused = refused + 1 end
end

function done()
  local p, r = 0, 0
  for _, t in ipairs(threads) do
    p = p + t:get("placed")
    r = r + t:get("refused")
  end
  io.stderr:write(string.format("checkout: %d placed, %d refused\n", p, r))
end
