// A fixed pool of worker threads that run one parallel-for at a time; the calling thread takes part as worker 0.
// Between jobs the workers spin briefly (a decode step issues hundreds of small jobs a few microseconds apart, and
// waking a sleeping thread costs more than the job), then sleep on a condition variable so an idle app burns no CPU.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace quire {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  int size() const { return (int)workers_.size() + 1; }
  // Runs job(worker) for worker = 0 … size()−1 and returns when all have finished.
  void run(const std::function<void(int)>& job);

 private:
  void loop(int index);
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<const std::function<void(int)>*> job_{nullptr};
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stopping_{false};
};

// Splits [0, count) into `parts` contiguous ranges; part `index` is [begin, end).
inline void split_range(int64_t count, int parts, int index, int64_t* begin, int64_t* end) {
  const int64_t per = count / parts, extra = count % parts;
  *begin = index * per + (index < extra ? index : extra);
  *end = *begin + per + (index < extra ? 1 : 0);
}

}  // namespace quire
