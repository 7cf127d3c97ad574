// The two Lua scripts of the Redis dedupe store; each runs atomically in one round trip.
//
// DECIDE — per alert. KEYS: lead, stats, rate, then one set per sample field.
// ARGV: leadttlms, now, owner, rank, ratemax (0 = off), perms, samplemax, then one value per sample set ('' = none).
// The lead key is the window: whoever SETs it (it is absent) owns the window and its summary; the
// others count into the stats hash. Returns {won, ratelimited}.
export const DECIDE = `
local won, limited = 0, 0
if redis.call('SET', KEYS[1], ARGV[3] .. '|' .. ARGV[2], 'NX', 'PX', ARGV[1]) then
  won = 1
  redis.call('DEL', KEYS[2])
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  if tonumber(ARGV[5]) > 0 then
    local n = redis.call('INCR', KEYS[3])
    if n == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[6]) end
    if n > tonumber(ARGV[5]) then limited = 1 end
  end
  redis.call('HSET', KEYS[2], 'seen', 1, 'suppressed', limited, 'last', ARGV[2], 'rank', ARGV[4])
else
  redis.call('HINCRBY', KEYS[2], 'seen', 1)
  redis.call('HINCRBY', KEYS[2], 'suppressed', 1)
  redis.call('HSET', KEYS[2], 'last', ARGV[2])
  if tonumber(ARGV[4]) > tonumber(redis.call('HGET', KEYS[2], 'rank') or '0') then redis.call('HSET', KEYS[2], 'rank', ARGV[4]) end
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
local max = tonumber(ARGV[7])
for i = 4, #KEYS do
  local v = ARGV[i + 4]
  if v ~= '' and max > 0 then
    if redis.call('SISMEMBER', KEYS[i], v) == 0 then
      if redis.call('SCARD', KEYS[i]) < max then redis.call('SADD', KEYS[i], v) else redis.call('HSET', KEYS[2], 'truncated', 1) end
    end
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
return {won, limited}
`;

// COLLECT — at the end of a window, by its owner. KEYS: lead, stats, then the sample sets.
// ARGV: the owner's lead value. Ends the window (deletes the lead if it is still ours) and hands back
// its stats and samples, deleting them. Returns {} when another replica's window has begun (ours
// expired in Redis before we collected it: its counts were reset by the new owner).
export const COLLECT = `
local lead = redis.call('GET', KEYS[1])
if lead and lead ~= ARGV[1] then return {} end
if lead then redis.call('DEL', KEYS[1]) end
local out = {redis.call('HGETALL', KEYS[2])}
for i = 3, #KEYS do out[#out + 1] = redis.call('SMEMBERS', KEYS[i]) end
redis.call('DEL', unpack(KEYS, 2))
return out
`;

// REFUND — by the owner, for the leading edge it won when that alert was refused after all (the
// spool full or failing). KEYS: lead, stats, rate, then the sample sets. ARGV: the owner's lead
// value, ratemax (0 = off). When the lead is still ours: the rate-limit token goes back, and the
// window goes if it holds only that alert, else its count goes one down (its owner still sends the
// summary of the repeats other replicas held back). Returns 1 (the window went), 0 (it stays) or
// -1 (not our window any more: nothing changed).
export const REFUND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if tonumber(ARGV[2]) > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
if tonumber(redis.call('HGET', KEYS[2], 'seen') or '1') <= 1 then
  redis.call('DEL', KEYS[1], KEYS[2])
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  return 1
end
redis.call('HINCRBY', KEYS[2], 'seen', -1)
return 0
`;
