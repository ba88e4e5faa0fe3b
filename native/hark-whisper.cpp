// hark-whisper: Hark's native whisper host. One process holds one loaded model and
// transcribes windows of audio on request, speaking the same messages as the
// @napi-rs/whisper host (src/transcription/whisper/host.ts; their shapes are in
// protocol.ts), so WhisperRecognizer can start either. It exists because the
// prebuilt binding is about 1.5x slower per window than whisper.cpp built for
// this CPU (BENCHMARKS.md, "Hark against whisper-cli").
//
//   hark-whisper MODEL [--no-flash-attn]
//
// In (stdin): per request, one line of JSON
//   {"type":"recognize","id":N,"samples":COUNT,"language":"en","translate":false,
//    "threads":2,"audioCtx":0,"prompt":"...","promptLanguage":"en"}
// followed by COUNT little-endian float32 samples (16 kHz mono).
// Out (stdout): one JSON message per line (ready, loadFailed, started, progress,
// result, failed). whisper.cpp's own log goes to stderr, warnings and errors only.
// It exits when stdin closes. An abort is SIGKILL: full() cannot be interrupted.

#include "whisper.h"
#include "json.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// One line of JSON on stdout, flushed at once: the parent reads messages as they come.
// Text whisper cut inside a UTF-8 sequence is replaced, as Node would on the binding's side.
void send(const json & message) {
    const std::string line = message.dump(-1, ' ', false, json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

double msSince(Clock::time_point started) {
    return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

long long rssBytes() {
    long pages = 0, resident = 0;
    FILE * statm = std::fopen("/proc/self/statm", "r");
    if (!statm) return 0;
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
    return static_cast<long long>(resident) * sysconf(_SC_PAGESIZE);
}

// whisper.cpp logs every load step at info level; the parent keeps stderr's tail to explain a
// crash, so only what could explain one is written.
void logToStderr(ggml_log_level level, const char * text, void *) {
    if (level == GGML_LOG_LEVEL_WARN || level == GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

struct Request {
    long long id = 0;
    std::vector<float> samples;
    std::string language = "en";
    bool translate = false;
    int threads = 1;
    int audioCtx = 0;
    std::string prompt;
    std::string promptLanguage;  // '' when the prompt's language is unknown
};

struct Decoded {
    std::string text;
    json segments = json::array();
    std::string prompt;
};

struct ProgressTarget {
    long long id;
};

void onProgress(whisper_context *, whisper_state *, int percent, void * user) {
    send({{"type", "progress"}, {"id", static_cast<ProgressTarget *>(user)->id}, {"percent", percent}});
}

// One full() over the window, with `prompt` as the initial prompt ('' for none). The settings
// are host.ts's, one for one, so both hosts decode alike.
Decoded decode(whisper_context * ctx, const Request & request, const std::string & prompt) {
    whisper_full_params params = whisper_full_default_params(WHISPER_SAMPLING_GREEDY);
    params.language = request.language.c_str();
    params.translate = request.translate;
    params.n_threads = request.threads;
    // whisper's own carry-over stays off: the parent sends the previous window's text when
    // core/windowPrompt.ts trusts it, and only then.
    params.no_context = true;
    params.initial_prompt = prompt.empty() ? nullptr : prompt.c_str();
    params.audio_ctx = request.audioCtx;
    // One segment per word with its times (as `whisper-cli -ml 1 -sow`); the parent regroups them.
    params.token_timestamps = true;
    params.max_len = 1;
    params.split_on_word = true;
    params.print_progress = false;
    params.print_realtime = false;
    params.print_timestamps = false;
    ProgressTarget target{request.id};
    params.progress_callback = onProgress;
    params.progress_callback_user_data = &target;

    if (whisper_full(ctx, params, request.samples.data(), static_cast<int>(request.samples.size())) != 0)
        throw std::runtime_error("whisper.cpp could not transcribe this window (whisper_full failed)");
    Decoded decoded;
    decoded.prompt = prompt;
    const int count = whisper_full_n_segments(ctx);
    for (int i = 0; i < count; i++) {
        const char * text = whisper_full_get_segment_text(ctx, i);
        decoded.text += text;
        // Centiseconds from the window's start, as the binding reports them.
        decoded.segments.push_back({{"text", text},
                                    {"start", whisper_full_get_segment_t0(ctx, i)},
                                    {"end", whisper_full_get_segment_t1(ctx, i)}});
    }
    return decoded;
}

// After full(): the language the model detected, or the one it was told.
json heardLanguage(whisper_context * ctx, const std::string & asked) {
    if (asked != "auto") return asked;
    const int id = whisper_full_lang_id(ctx);
    const char * code = id >= 0 ? whisper_lang_str(id) : nullptr;
    return code ? json(code) : json(nullptr);
}

void recognize(whisper_context * ctx, const Request & request) {
    send({{"type", "started"}, {"id", request.id}});
    const auto started = Clock::now();
    Decoded decoded = decode(ctx, request, request.prompt);
    json language = heardLanguage(ctx, request.language);
    // Detection hears the audio alone, so only now is it known whether this window starts a new
    // language; if so it stands alone, without the other language's prompt (core/windowPrompt.ts).
    if (!decoded.prompt.empty() && !request.promptLanguage.empty() && language.is_string() &&
        language.get<std::string>() != request.promptLanguage) {
        decoded = decode(ctx, request, "");
        language = heardLanguage(ctx, request.language);
    }
    send({{"type", "result"},
          {"id", request.id},
          {"text", decoded.text},
          {"segments", decoded.segments},
          {"language", language},
          {"inferenceMs", msSince(started)},
          {"audioCtx", request.audioCtx},
          {"prompt", decoded.prompt},
          {"rssBytes", rssBytes()}});
}

// Reads one request (its line, then its samples); false when stdin has closed.
bool readRequest(Request & request) {
    std::string line;
    if (!std::getline(std::cin, line)) return false;
    const json header = json::parse(line);
    request = Request{};
    request.id = header.at("id").get<long long>();
    request.language = header.value("language", std::string("en"));
    request.translate = header.value("translate", false);
    request.threads = header.value("threads", 1);
    request.audioCtx = header.value("audioCtx", 0);
    if (header.contains("prompt") && header["prompt"].is_string()) request.prompt = header["prompt"];
    if (header.contains("promptLanguage") && header["promptLanguage"].is_string())
        request.promptLanguage = header["promptLanguage"];
    const size_t count = header.at("samples").get<size_t>();
    request.samples.resize(count);
    std::cin.read(reinterpret_cast<char *>(request.samples.data()), static_cast<std::streamsize>(count * sizeof(float)));
    return static_cast<size_t>(std::cin.gcount()) == count * sizeof(float);
}

}  // namespace

int main(int argc, char ** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hark-whisper MODEL [--no-flash-attn]  (started by Hark's WhisperRecognizer)\n");
        return 2;
    }
    std::ios::sync_with_stdio(false);
    whisper_log_set(logToStderr, nullptr);
    whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = false;
    for (int i = 2; i < argc; i++)
        if (std::strcmp(argv[i], "--no-flash-attn") == 0) cparams.flash_attn = false;

    const auto started = Clock::now();
    whisper_context * ctx = whisper_init_from_file_with_params(argv[1], cparams);
    if (!ctx) {
        send({{"type", "loadFailed"},
              {"message", std::string("whisper.cpp could not load the model at ") + argv[1] +
                              " (not a whisper model, or damaged)"}});
        return 1;
    }
    send({{"type", "ready"},
          {"loadMs", msSince(started)},
          {"multilingual", whisper_is_multilingual(ctx) != 0},
          {"audioCtx", whisper_model_n_audio_ctx(ctx)}});

    // Requests come one at a time; full() blocks, so the next waits in the pipe.
    Request request;
    for (;;) {
        bool read = false;
        try {
            read = readRequest(request);
        } catch (const std::exception & error) {
            // A line that is not a request: the channel is out of step and cannot be trusted again.
            std::fprintf(stderr, "hark-whisper: unreadable request: %s\n", error.what());
            break;
        }
        if (!read) break;
        try {
            recognize(ctx, request);
        } catch (const std::exception & error) {
            send({{"type", "failed"}, {"id", request.id}, {"message", error.what()}});
        }
    }
    whisper_free(ctx);
    return 0;
}
