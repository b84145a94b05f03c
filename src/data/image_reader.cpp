#include "data/image_reader.h"

// clang-format off
#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
// clang-format on

#include <cstring>
#include <string>

#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "core/quote.h"

// libpng and libjpeg report errors by calling a function that must not return; ours longjmp back to the
// decoding function, which then frees the library's state and reports the message. longjmp skips frames
// without running destructors, so the rules are: the function that calls setjmp holds no object with a
// destructor and keeps everything it needs after the jump in a context struct that lives in its caller's
// frame (so nothing is lost in a register), and no frame between the library and it (our callbacks) holds
// one either. The decoded pixels go to an Image owned by the caller, resized only where no jump can occur.

namespace kiln {
namespace {

// Pixels decoded by a JPEG scan at most: a progressive file can hold thousands of tiny scans, each of which
// the decoder replays over the whole image (a known way to make a small file take minutes).
const int kMaxJpegScans = 1000;
// libjpeg's own working memory (progressive coefficients of a 64 Mi pixel image are 384 MiB).
const long kMaxJpegMemory = 512L << 20;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw Error(name + ": " + problem);
}

void check_size(const std::string& name, std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0) {
    fail(name, "the image is " + std::to_string(width) + " x " + std::to_string(height) + " pixels (empty)");
  }
  if (width > static_cast<std::uint64_t>(kMaxImageSide) ||
      height > static_cast<std::uint64_t>(kMaxImageSide) || width * height > kMaxImagePixels) {
    fail(name, std::to_string(width) + " x " + std::to_string(height) + " pixels, more than the " +
                   std::to_string(kMaxImagePixels) + " pixels (8192 x 8192, sides up to " +
                   std::to_string(kMaxImageSide) + ") an image may have");
  }
}

// A library's message, kept to one short line.
std::string library_message(const char* text) {
  return terminal_line(text, 200);
}

// ---- PNG ----

struct PngContext {
  std::jmp_buf jump;
  char message[256];
  png_structp png = nullptr;
  png_infop info = nullptr;
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  std::size_t position = 0;
  bool too_large = false;  // the header's size is beyond the limits (message not used)
  png_uint_32 width = 0, height = 0;
};

void png_error_callback(png_structp png, png_const_charp text) {
  PngContext* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "%s", text ? text : "unknown error");
  std::longjmp(ctx->jump, 1);
}

void png_warning_callback(png_structp, png_const_charp) {}  // e.g. a known-incorrect sRGB profile: harmless

void png_read_callback(png_structp png, png_bytep out, std::size_t length) {
  PngContext* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (ctx->size - ctx->position < length) png_error(png, "the file ends before the image does");
  std::memcpy(out, ctx->data + ctx->position, length);
  ctx->position += length;
}

// 0: decoded into *image. 1: libpng's error in ctx->message. 2: ctx->too_large (size in ctx->width/height).
// Holds no object with a destructor (see the top of the file); rows is the caller's.
int decode_png_frame(PngContext* ctx, Image* image, std::vector<png_bytep>* rows) {
  ctx->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, png_error_callback, png_warning_callback);
  if (!ctx->png) {
    std::snprintf(ctx->message, sizeof ctx->message, "out of memory");
    return 1;
  }
  if (setjmp(ctx->jump)) {
    png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
    return 1;
  }
  ctx->info = png_create_info_struct(ctx->png);
  if (!ctx->info) png_error(ctx->png, "out of memory");
  png_set_read_fn(ctx->png, ctx, png_read_callback);
  // Our limits, checked below with our message; libpng's own (1,000,000 pixels a side) would say "corrupt".
  png_set_user_limits(ctx->png, 0x7FFFFFFFu, 0x7FFFFFFFu);
  png_set_chunk_malloc_max(ctx->png, 8u << 20);  // text and profile chunks
  png_read_info(ctx->png, ctx->info);
  ctx->width = png_get_image_width(ctx->png, ctx->info);
  ctx->height = png_get_image_height(ctx->png, ctx->info);
  if (ctx->width == 0 || ctx->height == 0 || ctx->width > static_cast<png_uint_32>(kMaxImageSide) ||
      ctx->height > static_cast<png_uint_32>(kMaxImageSide) ||
      static_cast<std::uint64_t>(ctx->width) * ctx->height > kMaxImagePixels) {
    ctx->too_large = true;
    png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
    return 2;
  }
  const int color = png_get_color_type(ctx->png, ctx->info);
  png_set_expand(ctx->png);  // palette -> RGB, grey below 8 bits -> 8 bits, tRNS -> alpha
  if (png_get_bit_depth(ctx->png, ctx->info) == 16) png_set_strip_16(ctx->png);
  png_set_strip_alpha(ctx->png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(ctx->png);
  const int passes = png_set_interlace_handling(ctx->png);
  png_read_update_info(ctx->png, ctx->info);
  if (png_get_channels(ctx->png, ctx->info) != 3 || png_get_bit_depth(ctx->png, ctx->info) != 8 ||
      png_get_rowbytes(ctx->png, ctx->info) != static_cast<std::size_t>(ctx->width) * 3) {
    png_error(ctx->png, "unexpected pixel layout after conversion to RGB");
  }
  // The allocations may throw std::bad_alloc: free libpng's state first, then let it go on. A plain image
  // grows row by row, so a header that announces 8192 x 8192 pixels over a few bytes of data costs only the
  // rows that really decode; an interlaced one needs all rows from the first pass on.
  const std::size_t row_bytes = static_cast<std::size_t>(ctx->width) * 3;
  try {
    image->width = static_cast<int>(ctx->width);
    image->height = static_cast<int>(ctx->height);
    if (passes > 1) {
      image->rgb.assign(row_bytes * ctx->height, 0);
      rows->resize(ctx->height);
    }
  } catch (...) {
    png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
    throw;
  }
  if (passes > 1) {
    for (png_uint_32 y = 0; y < ctx->height; ++y) (*rows)[y] = image->rgb.data() + y * row_bytes;
    png_read_image(ctx->png, rows->data());
  } else {
    for (png_uint_32 y = 0; y < ctx->height; ++y) {
      try {
        image->rgb.resize((y + std::size_t{1}) * row_bytes);
      } catch (...) {
        png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
        throw;
      }
      png_read_row(ctx->png, image->rgb.data() + y * row_bytes, nullptr);
    }
  }
  png_read_end(ctx->png, nullptr);  // a file cut after the pixels is still truncated
  png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
  return 0;
}

Image decode_png(std::string_view bytes, const std::string& name) {
  PngContext ctx;
  ctx.data = reinterpret_cast<const unsigned char*>(bytes.data());
  ctx.size = bytes.size();
  Image image;
  std::vector<png_bytep> rows;
  const int result = decode_png_frame(&ctx, &image, &rows);
  if (result == 2) check_size(name, ctx.width, ctx.height);
  if (result != 0)
    fail(name, "corrupt or truncated PNG image (libpng: " + library_message(ctx.message) + ")");
  return image;
}

// ---- JPEG ----

struct JpegContext {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr errors;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 64];
  bool created = false;
  bool too_large = false;
  bool tables_only = false;
  std::uint64_t width = 0, height = 0;
};

[[noreturn]] void jpeg_jump(j_common_ptr cinfo) {
  JpegContext* ctx = static_cast<JpegContext*>(cinfo->client_data);
  std::longjmp(ctx->jump, 1);
}

void jpeg_error_callback(j_common_ptr cinfo) {
  JpegContext* ctx = static_cast<JpegContext*>(cinfo->client_data);
  (*cinfo->err->format_message)(cinfo, ctx->message);
  jpeg_jump(cinfo);
}

// Warnings (level -1) that mean pixels are missing or damaged are errors: libjpeg would fill the rest of a
// truncated file with grey and carry on. Others (extraneous bytes between markers, unknown JFIF revision, a
// bad ICC marker) are harmless. Trace messages (level >= 0) are ignored.
void jpeg_message_callback(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
      jpeg_error_callback(cinfo);
      break;
    default:
      break;
  }
}

void jpeg_progress_callback(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans) {
    JpegContext* ctx = static_cast<JpegContext*>(cinfo->client_data);
    std::snprintf(ctx->message, sizeof ctx->message, "more than %d progressive scans", kMaxJpegScans);
    jpeg_jump(cinfo);
  }
}

// Adobe CMYK (stored inverted: 255 = no ink) to RGB: R = C' K' / 255, rounded. Plain CMYK is inverted first.
void cmyk_to_rgb(const unsigned char* cmyk, unsigned char* rgb, std::size_t pixels, bool inverted) {
  for (std::size_t i = 0; i < pixels; ++i, cmyk += 4, rgb += 3) {
    unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
    if (!inverted) {
      c = 255 - c;
      m = 255 - m;
      y = 255 - y;
      k = 255 - k;
    }
    rgb[0] = static_cast<unsigned char>((c * k + 127) / 255);
    rgb[1] = static_cast<unsigned char>((m * k + 127) / 255);
    rgb[2] = static_cast<unsigned char>((y * k + 127) / 255);
  }
}

// 0: decoded. 1: error in ctx->message. 2: size beyond the limits (ctx->width/height). 3: no image (tables
// only). Holds no object with a destructor; image and row are the caller's.
int decode_jpeg_frame(JpegContext* ctx, const unsigned char* data, std::size_t size, Image* image,
                      std::vector<unsigned char>* row) {
  ctx->cinfo.err = jpeg_std_error(&ctx->errors);
  ctx->errors.error_exit = jpeg_error_callback;
  ctx->errors.emit_message = jpeg_message_callback;
  ctx->cinfo.client_data = ctx;
  if (setjmp(ctx->jump)) {
    if (ctx->created) jpeg_destroy_decompress(&ctx->cinfo);
    return 1;
  }
  jpeg_create_decompress(&ctx->cinfo);
  ctx->created = true;
  ctx->cinfo.mem->max_memory_to_use = kMaxJpegMemory;
  ctx->progress.progress_monitor = jpeg_progress_callback;
  ctx->cinfo.progress = &ctx->progress;
  jpeg_mem_src(&ctx->cinfo, data, static_cast<unsigned long>(size));
  if (jpeg_read_header(&ctx->cinfo, TRUE) != JPEG_HEADER_OK) {
    jpeg_destroy_decompress(&ctx->cinfo);
    return 3;
  }
  ctx->width = ctx->cinfo.image_width;
  ctx->height = ctx->cinfo.image_height;
  if (ctx->width == 0 || ctx->height == 0 || ctx->width > static_cast<std::uint64_t>(kMaxImageSide) ||
      ctx->height > static_cast<std::uint64_t>(kMaxImageSide) || ctx->width * ctx->height > kMaxImagePixels) {
    jpeg_destroy_decompress(&ctx->cinfo);
    return 2;
  }
  const bool cmyk = ctx->cinfo.jpeg_color_space == JCS_CMYK || ctx->cinfo.jpeg_color_space == JCS_YCCK;
  ctx->cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(&ctx->cinfo);
  const std::size_t width = ctx->cinfo.output_width, height = ctx->cinfo.output_height;
  const std::size_t components = static_cast<std::size_t>(ctx->cinfo.output_components);
  if (width != ctx->width || height != ctx->height || components != (cmyk ? 4u : 3u)) {
    ERREXIT(&ctx->cinfo, JERR_CONVERSION_NOTIMPL);
  }
  // Rows are added as they decode (see decode_png_frame); bad_alloc frees libjpeg's state first.
  try {
    image->width = static_cast<int>(width);
    image->height = static_cast<int>(height);
    row->assign(width * components, 0);
  } catch (...) {
    jpeg_destroy_decompress(&ctx->cinfo);
    throw;
  }
  while (ctx->cinfo.output_scanline < ctx->cinfo.output_height) {
    const std::size_t y = ctx->cinfo.output_scanline;
    try {
      image->rgb.resize((y + 1) * width * 3);
    } catch (...) {
      jpeg_destroy_decompress(&ctx->cinfo);
      throw;
    }
    JSAMPROW target = cmyk ? row->data() : image->rgb.data() + y * width * 3;
    if (jpeg_read_scanlines(&ctx->cinfo, &target, 1) != 1) ERREXIT(&ctx->cinfo, JERR_BAD_BUFFER_MODE);
    if (cmyk) cmyk_to_rgb(row->data(), image->rgb.data() + y * width * 3, width, ctx->cinfo.saw_Adobe_marker);
  }
  jpeg_finish_decompress(&ctx->cinfo);
  jpeg_destroy_decompress(&ctx->cinfo);
  return 0;
}

Image decode_jpeg(std::string_view bytes, const std::string& name) {
  JpegContext ctx;
  std::memset(&ctx.cinfo, 0, sizeof ctx.cinfo);
  std::memset(&ctx.errors, 0, sizeof ctx.errors);
  std::memset(&ctx.progress, 0, sizeof ctx.progress);
  ctx.message[0] = '\0';
  Image image;
  std::vector<unsigned char> row;
  const int result = decode_jpeg_frame(&ctx, reinterpret_cast<const unsigned char*>(bytes.data()),
                                       bytes.size(), &image, &row);
  if (result == 2) check_size(name, ctx.width, ctx.height);
  if (result == 3) fail(name, "a JPEG file without an image (tables only)");
  if (result != 0)
    fail(name, "corrupt or truncated JPEG image (libjpeg: " + library_message(ctx.message) + ")");
  return image;
}

// ---- BMP ----

std::uint32_t le16(const unsigned char* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8);
}
std::uint32_t le32(const unsigned char* p) {
  return le16(p) | (le16(p + 2) << 16);
}

Image decode_bmp(std::string_view bytes, const std::string& name) {
  const auto* d = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  if (size < 14 + 12)
    fail(name, "truncated BMP file (" + std::to_string(size) + " bytes, no complete header)");
  const std::uint32_t pixel_offset = le32(d + 10);
  const std::uint32_t header_size = le32(d + 14);
  if (header_size != 12 && (header_size < 40 || header_size > 124)) {
    fail(name, "not a BMP variant this reads (header of " + std::to_string(header_size) + " bytes)");
  }
  if (size < 14 + std::size_t{header_size}) fail(name, "truncated BMP file (the header is cut short)");
  std::int64_t width, height;
  std::uint32_t bits, compression = 0, colors_used = 0;
  const bool os2 = header_size == 12;
  if (os2) {
    width = le16(d + 18);
    height = le16(d + 20);
    bits = le16(d + 24);
  } else {
    width = static_cast<std::int32_t>(le32(d + 18));
    height = static_cast<std::int32_t>(le32(d + 22));
    bits = le16(d + 28);
    compression = le32(d + 30);
    colors_used = le32(d + 46);
  }
  const bool top_down = height < 0;
  if (top_down) height = -height;  // from int32: no overflow in int64
  if (width <= 0) check_size(name, 0, static_cast<std::uint64_t>(height));
  check_size(name, static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height));

  // Pixel formats: palette (1, 4, 8 bits), BGR (24), BGRX (32). BI_BITFIELDS only with the masks of BGRX.
  const bool palette = bits == 1 || bits == 4 || bits == 8;
  if (!palette && bits != 24 && bits != 32) {
    fail(name, "a " + std::to_string(bits) + "-bit BMP (this reads 1, 4, 8, 24 and 32 bits per pixel)");
  }
  if (compression == 3 && bits == 32) {
    // The masks follow a 40-byte header (BITMAPINFOHEADER) or sit inside a larger one.
    if (size < 14 + 40 + 12) fail(name, "truncated BMP file (the colour masks are cut short)");
    if (le32(d + 54) != 0x00FF0000u || le32(d + 58) != 0x0000FF00u || le32(d + 62) != 0x000000FFu) {
      fail(name, "a BMP with unusual colour masks (this reads 8 bits per channel in B, G, R order)");
    }
  } else if (compression != 0) {
    fail(name, "a compressed BMP (compression " + std::to_string(compression) +
                   "; this reads uncompressed BMP files only)");
  }

  unsigned char colors[256][3] = {};  // palette as R, G, B; missing entries stay black
  if (palette) {
    const std::size_t entry = os2 ? 3 : 4;
    std::size_t count = colors_used == 0 ? (std::size_t{1} << bits) : colors_used;
    if (count > (std::size_t{1} << bits)) count = std::size_t{1} << bits;
    std::size_t start = 14 + std::size_t{header_size};
    if (!os2 && header_size == 40 && compression == 3) start += 12;
    if (start > size || (size - start) / entry < count)
      fail(name, "truncated BMP file (the palette is cut short)");
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned char* e = d + start + i * entry;
      colors[i][0] = e[2];
      colors[i][1] = e[1];
      colors[i][2] = e[0];
    }
  }

  const std::size_t w = static_cast<std::size_t>(width), h = static_cast<std::size_t>(height);
  const std::size_t stride = (w * bits + 31) / 32 * 4;
  // The last row may lack its padding (some writers stop at the last pixel).
  const std::size_t needed = stride * (h - 1) + (w * bits + 7) / 8;
  if (pixel_offset > size || size - pixel_offset < needed) {
    fail(name, "truncated BMP file (the pixels need " + std::to_string(needed) + " bytes from offset " +
                   std::to_string(pixel_offset) + ", the file has " +
                   std::to_string(pixel_offset > size ? 0 : size - pixel_offset) + ")");
  }

  Image image;
  image.width = static_cast<int>(w);
  image.height = static_cast<int>(h);
  image.rgb.resize(w * h * 3);
  for (std::size_t y = 0; y < h; ++y) {
    const unsigned char* in = d + pixel_offset + (top_down ? y : h - 1 - y) * stride;
    unsigned char* out = image.rgb.data() + y * w * 3;
    for (std::size_t x = 0; x < w; ++x, out += 3) {
      if (palette) {
        const std::size_t bit = x * bits;
        const unsigned index = (in[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
        std::memcpy(out, colors[index], 3);
      } else {
        const unsigned char* p = in + x * (bits / 8);
        out[0] = p[2];
        out[1] = p[1];
        out[2] = p[0];
      }
    }
  }
  return image;
}

}  // namespace

Image decode_image(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) fail(name, "empty file, not an image");
  static const char kPng[] = "\x89PNG\r\n\x1a\n";
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPng, 8) == 0) return decode_png(bytes, name);
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xFF\xD8\xFF", 3) == 0) return decode_jpeg(bytes, name);
  if (bytes.size() >= 2 && std::memcmp(bytes.data(), "BM", 2) == 0) return decode_bmp(bytes, name);
  fail(name, "not a PNG, JPEG or BMP image");
}

Image read_image_file(const std::filesystem::path& path) {
  const std::string name = display_path(path);
  const std::string bytes = read_file(path, kMaxImageFileBytes);
  return decode_image(bytes, name);
}

}  // namespace kiln
